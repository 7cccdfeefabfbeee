"""The container healthcheck: GET a health path of this container's process; exit 0 when 200.

python -m services.probe [/healthz|/readyz]   # port: ZHULIAN_HEALTH_PORT (default 8000)
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str] | None = None) -> int:
    """Probe once; 0 when the process answers 200, 1 otherwise (with the reason on stderr)."""
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "/healthz"
    port = os.environ.get("ZHULIAN_HEALTH_PORT", "8000")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=4) as answer:
            return 0 if answer.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(f"{path}: {error.code} {error.read()[:300]!r}", file=sys.stderr)
    except OSError as error:
        print(f"{path}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
