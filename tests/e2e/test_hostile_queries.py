"""Values no store can hold in a query are refused, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/v1/needs?offset=9223372036854775808",
        "/v1/referrals?offset=9223372036854775808",
        "/v1/households?offset=99999999999999999999999",
    ],
)
def test_an_offset_beyond_64_bits_is_a_422(client, path) -> None:
    answer = client.get(path)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
