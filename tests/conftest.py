from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def studio() -> Any:
    from adapters.profile import demo_profile_path, load_studio

    return load_studio(demo_profile_path())


@pytest.fixture(scope="session")
def gazetteer() -> Any:
    from adapters.gazetteer import GeonamesGazetteer

    return GeonamesGazetteer()


@pytest.fixture
def convo(studio: Any, gazetteer: Any) -> Any:
    from tests.unit.convo import Convo

    return Convo(studio, gazetteer)


@pytest.fixture
def harness(studio: Any, gazetteer: Any) -> Any:
    from tests.unit.harness import Harness

    return Harness(studio, gazetteer)
