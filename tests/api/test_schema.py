"""Property tests over the OpenAPI schema (schemathesis): `/api/v1/*` never answers 5xx, and every
answer matches what the schema says — status codes, content types and bodies.

Schemathesis generates requests from the schema, valid and invalid (wrong types, missing fields,
odd strings, huge numbers), and sends them to the real app on real Redis.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.app import create_app
from bot.knowledge import KnowledgeBase
from bot.services import build_services
from bot.settings import Settings
from bot.storage import connect

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(redis_url: str) -> BaseSchema:
    settings = Settings(app_env="test", rate_limit_api="100000/minute", rate_limit_messages="100000/minute",
                        _env_file=None)
    redis = connect(redis_url, settings.redis_timeout)
    services = build_services(settings, redis=redis, knowledge=KnowledgeBase.from_directory())
    app = create_app(settings, services)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


# schemathesis' own pytest plugin does not run on pytest 9 yet: drive its strategies with hypothesis.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", ["/api/v1/chat", "/api/v1/ask", "/api/v1/screen"])
def test_api_answers_within_its_schema(api_schema: BaseSchema, path: str, mode: GenerationMode) -> None:
    @given(case=api_schema[path]["POST"].as_strategy(generation_mode=mode))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def answers(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    answers()
