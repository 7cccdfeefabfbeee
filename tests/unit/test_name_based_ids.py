from __future__ import annotations

import copy
import pickle
import uuid

from domain.ids import uuid5

NAMESPACES = [uuid.NAMESPACE_DNS, uuid.UUID("0c9a4d5e-2b71-4f0e-9d3c-6a8b1e2f7d40")]
NAMES = ["", "a", "receipt", '["receipt","/330106/civil-affairs","id-1"]', "户籍 330106", "x" * 300]


def test_name_based_ids_equal_the_standard_librarys_uuid5() -> None:
    for namespace in NAMESPACES:
        for name in NAMES + [f"hh1_{i:040x}" for i in range(500)]:
            mine, theirs = uuid5(namespace, name), uuid.uuid5(namespace, name)
            assert mine == theirs and mine.version == 5 and mine.variant == uuid.RFC_4122
            assert str(mine) == str(theirs) and hash(mine) == hash(theirs)


def test_name_based_ids_copy_and_pickle_like_any_uuid() -> None:
    ident = uuid5(uuid.NAMESPACE_URL, "https://example.org/a")
    assert copy.deepcopy(ident) == ident
    assert pickle.loads(pickle.dumps(ident)) == ident
    assert ident.is_safe is uuid.SafeUUID.unknown
