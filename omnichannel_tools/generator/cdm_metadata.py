"""The option-set metadata of a Synapse Link container: choice codes and Microsoft's labels.

``OptionsetMetadata/`` holds headerless CSVs (column order as readers of real exports use it):
``OptionsetMetadata.csv`` (local choices: EntityName, OptionSetName, Option, IsUserLocalizedLabel,
LocalizedLabelLanguageCode, LocalizedLabel), ``GlobalOptionsetMetadata.csv`` (OptionSetName, Option,
IsUserLocalizedLabel, LocalizedLabelLanguageCode, LocalizedLabel, GlobalOptionSetName, EntityName),
``StateMetadata.csv``, ``StatusMetadata.csv``, ``TargetMetadata.csv``;
``Microsoft.Athena.TrickleFeedService/<table>-EntityMetadata.json`` holds the same per table
(``OptionSetMetadata``, ``GlobalOptionSetMetadata``, ``AttributeMetadata``) beside a
``<table>-model.json``. The codes are the glossary seeds', in English (1033), plus codes our
glossaries lack (simulated: a new closure reason in the CSVs, a new participant mode in the JSON
only) and a Spanish label, so that the report of unknown codes has something to find.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from omnichannel_tools.paths import SEEDS_DIR

# (entity, column, seed, global option set name or None)
CHOICES = [
    ("msdyn_ocsession", "msdyn_closurereason", "dataverse_closure_reasons", "msdyn_ocsession_msdyn_closurereason"),
    ("msdyn_ocsession", "msdyn_channel", "dataverse_channels", "msdyn_streamsource"),
    ("msdyn_ocsession", "msdyn_state", "dataverse_session_states", None),
    ("msdyn_sessionparticipant", "msdyn_mode", "dataverse_participant_modes", None),
    ("msdyn_ocsessionparticipantevent", "msdyn_eventtype", "dataverse_participant_event_types", None),
    ("msdyn_ocsessionparticipantevent", "msdyn_eventreason", "dataverse_participant_event_reasons", None),
]
UNKNOWN_TO_GLOSSARIES = {
    ("msdyn_ocsession", "msdyn_closurereason"): (192350099, "SimulatedNewReason"),
}
UNKNOWN_IN_JSON_ONLY = ("msdyn_sessionparticipant", "msdyn_mode", 192350009, "SimulatedNewMode")
ENGLISH, SPANISH = 1033, 1034


def _seed_labels(seed: str) -> list[tuple[int, str]]:
    with (SEEDS_DIR / f"{seed}.csv").open(newline="") as handle:
        return [(int(row["code"]), row["label"]) for row in csv.DictReader(handle)]


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_choice_metadata(root: Path) -> None:
    """Write OptionsetMetadata/ and Microsoft.Athena.TrickleFeedService/ under the container root."""
    local, global_, per_entity = [], [], {}
    for entity, column, seed, global_name in CHOICES:
        labels = _seed_labels(seed) + (
            [UNKNOWN_TO_GLOSSARIES[(entity, column)]] if (entity, column) in UNKNOWN_TO_GLOSSARIES else []
        )
        for code, label in labels:
            item = {"EntityName": entity, "OptionSetName": column, "Option": code, "IsUserLocalizedLabel": False,
                    "LocalizedLabelLanguageCode": ENGLISH, "LocalizedLabel": label}  # fmt: skip
            target = per_entity.setdefault(entity, {"OptionSetMetadata": [], "GlobalOptionSetMetadata": []})
            if global_name:
                global_.append([column, code, "False", ENGLISH, label, global_name, entity])
                target["GlobalOptionSetMetadata"].append({**item, "GlobalOptionSetName": global_name})
            else:
                local.append([entity, column, code, "False", ENGLISH, label])
                target["OptionSetMetadata"].append(item)
    local.append(["msdyn_ocsession", "msdyn_state", 192350002, "False", SPANISH, "Cerrada"])
    entity, column, code, label = UNKNOWN_IN_JSON_ONLY
    per_entity[entity]["OptionSetMetadata"].append(
        {
            "EntityName": entity,
            "OptionSetName": column,
            "Option": code,
            "IsUserLocalizedLabel": False,
            "LocalizedLabelLanguageCode": ENGLISH,
            "LocalizedLabel": label,
        }  # fmt: skip
    )
    folder = root / "OptionsetMetadata"
    _write_csv(folder / "OptionsetMetadata.csv", local)
    _write_csv(folder / "GlobalOptionsetMetadata.csv", global_)
    _write_csv(
        folder / "StateMetadata.csv",
        [["msdyn_ocsession", 0, "False", ENGLISH, "Open"], ["msdyn_ocsession", 1, "False", ENGLISH, "Completed"]],
    )
    _write_csv(
        folder / "StatusMetadata.csv",
        [["msdyn_ocsession", 0, 1, "False", ENGLISH, "Open"], ["msdyn_ocsession", 1, 2, "False", ENGLISH, "Completed"]],
    )
    _write_csv(
        folder / "TargetMetadata.csv",
        [["msdyn_sessionparticipant", "msdyn_omnichannelsession", "msdyn_ocsession", "activityid"]],
    )
    trickle = root / "Microsoft.Athena.TrickleFeedService"
    trickle.mkdir(parents=True, exist_ok=True)
    for entity, document in per_entity.items():
        attributes = [
            {"EntityName": entity, "AttributeName": column, "AttributeType": "Picklist", "AttributeTypeCode": 11}
            for e, column, _, _ in CHOICES
            if e == entity
        ]
        (trickle / f"{entity}-EntityMetadata.json").write_text(
            json.dumps({**document, "AttributeMetadata": attributes}, indent=1)
        )
        (trickle / f"{entity}-model.json").write_text(json.dumps({"name": entity, "entities": []}))
