"""Export the schemas as JSON Schema, for editors' YAML plugins."""

from __future__ import annotations

import json
from pathlib import Path

from .model import Cases, CaseStudyMeta, LawChanges, PageMeta, Provisions, Register

SCHEMAS = {
    "register.schema.json": Register,
    "page.schema.json": PageMeta,
    "case-study.schema.json": CaseStudyMeta,
    "provisions.schema.json": Provisions,
    "cases.schema.json": Cases,
    "law-changes.schema.json": LawChanges,
}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(json.dumps(model.model_json_schema(), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
