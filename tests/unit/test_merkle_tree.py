"""The tree's proofs, checked by the independent RFC 9162 verifier in tests/support."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.transparency.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_path,
    inclusion_path,
    leaf_hash,
    list_mth,
)
from tests.support.rfc9162 import hash_leaf, verify_consistency, verify_inclusion


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"event {i}".encode()) for i in range(n)]


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH written straight from RFC 9162 §2.1.1."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    left, right = _reference_root(leaves[:k]), _reference_root(leaves[k:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_the_leaf_hash_prefixes_a_zero_byte() -> None:
    assert leaf_hash(b"abc") == hash_leaf(b"abc") == hashlib.sha256(b"\x00abc").digest()


def test_the_empty_tree_has_the_hash_of_nothing() -> None:
    assert Frontier().root() == EMPTY_ROOT == _reference_root([])


@given(st.integers(min_value=1, max_value=300))
def test_the_frontier_root_equals_the_rfc_tree_hash_at_every_size(n: int) -> None:
    leaves = _leaves(n)
    frontier = Frontier()
    frontier.extend(leaves[: n // 2])
    for h in leaves[n // 2 :]:
        frontier.append(h)
    assert frontier.root() == _reference_root(leaves)
    assert Frontier.decode(n, frontier.encode()).root() == frontier.root()


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=200), st.data())
def test_every_inclusion_proof_verifies_and_no_other_leaf_passes(
    n: int, data: st.DataObject
) -> None:
    leaves = _leaves(n)
    root = _reference_root(leaves)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    path = inclusion_path(index, n, list_mth(leaves))
    assert verify_inclusion(index, n, leaves[index], path, root)
    assert not verify_inclusion(index, n, leaf_hash(b"forged"), path, root)
    if n > 1:
        other = (index + 1) % n
        assert not verify_inclusion(other, n, leaves[index], path, root)


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=200), st.data())
def test_every_consistency_proof_verifies_and_a_rewritten_past_fails(
    n: int, data: st.DataObject
) -> None:
    leaves = _leaves(n)
    m = data.draw(st.integers(min_value=1, max_value=n))
    path = consistency_path(m, n, list_mth(leaves))
    old, new = _reference_root(leaves[:m]), _reference_root(leaves)
    assert verify_consistency(m, n, old, new, path)
    rewritten = [leaf_hash(b"forged"), *leaves[1:m]]
    assert not verify_consistency(m, n, _reference_root(rewritten), new, path)


def test_a_position_outside_the_tree_has_no_proof() -> None:
    with pytest.raises(ValueError):
        inclusion_path(5, 5, list_mth(_leaves(5)))
