"""Media types as RFC 9110 §8.3.1 defines them: one parser for HTTP, Kafka and datacontenttype."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_TYPE = re.compile(rf"^\s*({_TOKEN})/({_TOKEN})\s*")
_PARAMETER = re.compile(rf';\s*({_TOKEN})=({_TOKEN}|"(?:[^"\\]|\\.)*")\s*')
_EMPTY_PARAMETER = re.compile(r";\s*")

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"
JSON = "application/json"


@dataclass(frozen=True)
class MediaType:
    """A parsed media type: type/subtype and parameter names lower-cased, values as sent."""

    essence: str
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def is_json(self) -> bool:
        """application/json, or any type with the +json structured syntax suffix (RFC 6839)."""
        return self.essence == JSON or self.essence.endswith("+json")


def parse_media_type(value: str) -> MediaType | None:
    """Parse a Content-Type or datacontenttype value; None when it is not a media type."""
    found = _TYPE.match(value)
    if found is None:
        return None
    essence = f"{found.group(1)}/{found.group(2)}".lower()
    parameters: dict[str, str] = {}
    rest = value[found.end() :]
    while rest:
        parameter = _PARAMETER.match(rest)
        if parameter is None:
            empty = _EMPTY_PARAMETER.match(rest)  # RFC 9110 allows empty parameters: "a/b;"
            if empty is None or empty.end() == 0:
                return None
            rest = rest[empty.end() :]
            continue
        raw = parameter.group(2)
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        parameters[parameter.group(1).lower()] = raw
        rest = rest[parameter.end() :]
    return MediaType(essence, parameters)


def charset_problem(media_type: MediaType) -> str | None:
    """JSON is UTF-8 (RFC 8259 §8.1): a charset parameter, if any, must say so."""
    charset = media_type.parameters.get("charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        return f"charset {charset!r} is not accepted; JSON is sent as utf-8"
    return None
