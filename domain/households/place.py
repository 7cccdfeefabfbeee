"""Where a household is, coarsely: a recorded fact with its source, never an exact address."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.shared.errors import InvalidValue

# The point is kept to three decimals (about 100 m) and is personal: it is sealed at ingest.
COARSE_DECIMALS = 3
# Matching reads only the cell: the point rounded to two decimals (about 1 km), a village, not
# a house. It is not personal, so views hold it in clear and rebuild it without keys.
CELL_DECIMALS = 2


class PlaceSource(StrEnum):
    """Where a household's place comes from."""

    VILLAGE_CENTROID = "village_centroid"  # the alliance's centroid of the household's village
    GRID_CELL = "grid_cell"  # the centre of the grid worker's cell (网格)
    GEOCODED_ADDRESS = "geocoded_address"  # an address geocoded, then coarsened
    HOME_VISIT = "home_visit"  # read on a visit, then coarsened


@dataclass(frozen=True)
class Place:
    """A coarse point (WGS 84 latitude and longitude) and where it came from."""

    latitude: float
    longitude: float
    source: PlaceSource
    reference: str = ""  # e.g. the grid cell's code, or the centroid's edition

    @classmethod
    def parse(
        cls, latitude: float, longitude: float, source: PlaceSource, reference: str = ""
    ) -> Place:
        """Check the point and coarsen it."""
        for name, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
            if not math.isfinite(value) or not -bound <= value <= bound:
                raise InvalidValue(name, f"must be a number from -{bound} to {bound}")
        return cls(
            round(latitude, COARSE_DECIMALS),
            round(longitude, COARSE_DECIMALS),
            PlaceSource(source),
            reference.strip(),
        )

    def cell(self) -> Place:
        """The coarse cell the point lies in (two decimals, about 1 km)."""
        return Place(
            round(self.latitude, CELL_DECIMALS),
            round(self.longitude, CELL_DECIMALS),
            self.source,
            self.reference,
        )

    def as_record(self) -> dict[str, Any]:
        """The place as a record: latitude, longitude, source, reference."""
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "source": self.source.value,
            "reference": self.reference,
        }


def cell_record(place: dict[str, Any] | None) -> dict[str, Any] | None:
    """A recorded place as matching and the views hold it: the cell in clear, the sealed point
    beside it (`point`) when the event carried one.

    A tolerant reader: a place recorded before the point was sealed (an older log) holds the
    point itself in `latitude`/`longitude`; it is read as its cell, and that clear point is not
    copied on.
    """
    if not place:
        return None
    out = {
        "latitude": round(float(place["latitude"]), CELL_DECIMALS),
        "longitude": round(float(place["longitude"]), CELL_DECIMALS),
        "source": place.get("source"),
        "reference": place.get("reference", ""),
    }
    if place.get("point"):
        out["point"] = dict(place["point"])
    return out
