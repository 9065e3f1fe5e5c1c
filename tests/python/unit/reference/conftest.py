"""The edge-case export written once, and its session facts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from omnichannel_tools import reference as ref

from .edge_cases import PARTICIPANTS, SENTIMENTS, SESSIONS_PART0, SESSIONS_PART1
from .rows import QUEUES, USERS, write_export


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("export")
    return write_export(
        root,
        {
            "msdyn_ocsession": [SESSIONS_PART0, SESSIONS_PART1],
            "msdyn_sessionparticipant": [PARTICIPANTS],
            "msdyn_ocsessionsentiment": [SENTIMENTS],
            "systemuser": [USERS],
            "queue": [QUEUES],
        },
    )


@pytest.fixture(scope="module")
def facts(export) -> pd.DataFrame:
    return ref.session_facts(ref.load_export(export)).set_index("session_id")
