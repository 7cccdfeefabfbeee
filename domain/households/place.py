"""Where a household is, coarsely: a recorded fact with its source, never an exact address."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.shared.errors import InvalidValue

# Kept to three decimals (about 100 m): enough for a ten-minute circle, too coarse for a door.
COARSE_DECIMALS = 3


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

    def as_record(self) -> dict[str, Any]:
        """The place as kept in an event and in view rows."""
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "source": self.source.value,
            "reference": self.reference,
        }
