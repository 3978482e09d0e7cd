"""Loads the shipped administrative divisions (data/divisions, attribution in its README)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "divisions"
FILES = (  # file, level, parent column
    ("provinces.csv", 1, None),
    ("cities.csv", 2, "provinceCode"),
    ("areas.csv", 3, "cityCode"),
    ("streets.csv", 4, "areaCode"),
)


def region_rows():
    """(code, name, level, parent_code) for every division, parents before children."""
    for filename, level, parent_column in FILES:
        with open(DATA_DIR / filename, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                yield row["code"], row["name"], level, row[parent_column] if parent_column else None


def province_codes() -> list[int]:
    """The two-digit codes of the provinces in the shipped divisions (11 北京 … 65 新疆)."""
    with open(DATA_DIR / FILES[0][0], newline="", encoding="utf-8") as f:
        return sorted(int(row["code"][:2]) for row in csv.DictReader(f))


def load_regions(region_model, batch_size: int = 5000) -> int:
    """Insert every division not yet present; returns how many were added. Idempotent."""
    existing = set(region_model.objects.values_list("code", flat=True))
    batch, added = [], 0
    for code, name, level, parent in region_rows():
        if code in existing:
            continue
        batch.append(region_model(code=code, name=name, level=level, parent_id=parent))
        if len(batch) >= batch_size:
            region_model.objects.bulk_create(batch)
            added, batch = added + len(batch), []
    region_model.objects.bulk_create(batch)
    return added + len(batch)
