"""The deploy files, validated and read as an operator would: schemas, settings, order, secrets."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from importlib import resources
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
from packaging.requirements import Requirement

from tests.deploy.files import (
    DEPLOY,
    compose,
    env_file,
    known_settings,
    manifests,
    names_in_deploy_files,
    ours,
    pod_specs,
)

DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def compose_errors(document: dict[str, Any]) -> list[str]:
    """Errors of a compose document under the Compose Specification's JSON Schema."""
    text = (
        resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "compose-spec.json"
    ).read_text()
    schema = json.loads(text)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_compose_file_is_valid_under_the_compose_specification_schema() -> None:
    assert compose_errors(compose()) == []


def test_the_compose_schema_check_refuses_a_wrong_compose_file() -> None:
    broken = copy.deepcopy(compose())
    broken["services"]["api"]["depends_on"]["indexer"]["condition"] = "service_started_maybe"
    assert compose_errors(broken)


def test_every_kubernetes_manifest_validates_against_the_kubernetes_schemas() -> None:
    version = kubernetes_validate.latest_version()
    kinds = []
    for _, doc in manifests():
        kubernetes_validate.validate(doc, version, strict=True)
        kinds.append(doc["kind"])
    assert {"Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Job"} <= set(kinds)


def test_the_kubernetes_check_refuses_a_wrong_manifest() -> None:
    deployment = next(d for _, d in manifests() if d["kind"] == "Deployment")
    broken = copy.deepcopy(deployment)
    broken["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


def test_every_setting_the_deploy_files_name_is_a_setting_the_service_reads() -> None:
    named = names_in_deploy_files()
    unknown = {key: where for key, where in named.items() if key not in known_settings()}
    assert unknown == {}
    assert "ZHULIAN_NOT_A_SETTING" not in known_settings()
    assert {"KAFKA_BOOTSTRAP_SERVERS", "ZHULIAN_HEALTH_PORT", "DATABASE_URL_FILE"} <= set(named)


def test_kafka_runs_three_kraft_brokers_with_replication_three_and_two_in_sync() -> None:
    services = compose()["services"]
    brokers = {n: s for n, s in services.items() if n.startswith("kafka-")}
    assert len(brokers) == 3
    for name, broker in brokers.items():
        env = broker["environment"]
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].count("@") == 3
        assert (
            env["KAFKA_MIN_INSYNC_REPLICAS"] == 2 and env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == 3
        )
        data_dir = env["KAFKA_LOG_DIRS"]
        assert any(v.split(":")[1] == data_dir for v in broker["volumes"]), name
    assert env_file(DEPLOY / "zhulian.env")["KAFKA_REPLICATION_FACTOR"] == "3"


def test_every_process_has_a_healthcheck_a_restart_policy_and_waits_for_healthy_parts() -> None:
    services = compose()["services"]
    for name, service in services.items():
        assert "restart" in service, name
        for dependency, rule in (service.get("depends_on") or {}).items():
            expected = (
                "service_completed_successfully" if dependency == "topics" else "service_healthy"
            )
            assert rule["condition"] == expected, (name, dependency)
            assert dependency in services
        if name != "topics":
            assert service["healthcheck"].get("test"), name
    assert services["topics"]["restart"] == "no"
    assert services["postgres"]["healthcheck"]["test"][1] == "pg_isready"


def test_no_two_services_publish_the_same_host_port() -> None:
    published: list[str] = []
    for name, service in compose()["services"].items():
        replicas = (service.get("deploy") or {}).get("replicas", 1)
        for mapping in service.get("ports", []):
            host = str(mapping).rsplit(":", 1)[0].split(":")[-1]
            low, _, high = host.partition("-")
            ports = range(int(low), int(high or low) + 1)
            assert len(ports) >= replicas, f"{name}: {replicas} replicas share {host}"
            published += [str(p) for p in ports]
    assert len(published) == len(set(published))


def test_third_party_images_and_the_base_image_are_pinned_by_digest() -> None:
    for name, service in compose()["services"].items():
        if not ours(service):
            assert DIGEST.search(service["image"]), name
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", dockerfile, re.MULTILINE)
    assert base and DIGEST.search(base.group(1))


def test_no_deploy_file_carries_a_password_or_a_placeholder_secret() -> None:
    for path in [*DEPLOY.glob("*.yaml"), *DEPLOY.glob("k8s/*.yaml"), DEPLOY / "zhulian.env"]:
        text = path.read_text()
        assert not re.search(r"://[^/\s:@]+:[^@/\s]+@", text), f"{path.name}: credentials in a URL"
        assert "REPLACE" not in text.upper(), path.name
    secretive = re.compile(r"(PASSWORD|SECRET|DATABASE_URL)$")
    for service in compose()["services"].values():
        given = {**(service.get("environment") or {}), **env_file(DEPLOY / "zhulian.env")}
        assert [k for k in given if secretive.search(k)] == []
    for _, doc in manifests():
        if doc["kind"] == "ConfigMap":
            assert [k for k in doc["data"] if secretive.search(k)] == []
    assert all(doc["kind"] != "Secret" for _, doc in manifests())
    assert (DEPLOY / "secrets" / ".gitignore").read_text().startswith("*")


def test_every_kubernetes_process_has_probes_limits_and_a_non_root_context() -> None:
    for where, spec in pod_specs():
        assert spec["securityContext"]["runAsNonRoot"] is True, where
        for container in spec["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, where
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, where
            assert container["resources"]["limits"]["memory"], where
            if not where.startswith("topics-job"):
                assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", where
                assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", where


def test_every_deployment_has_a_disruption_budget() -> None:
    objects = [doc for _, doc in manifests()]
    budgets = [
        d["spec"]["selector"]["matchLabels"] for d in objects if d["kind"] == "PodDisruptionBudget"
    ]
    for deployment in (d for d in objects if d["kind"] == "Deployment"):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(b.items() <= labels.items() for b in budgets), deployment["metadata"]["name"]


def test_the_image_installs_only_from_the_hashed_lock_and_runs_as_a_non_root_user() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "requirements.lock" in dockerfile
    assert re.search(r"^USER 10001", dockerfile, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.MULTILINE)
    ignored = (DEPLOY.parent / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") :] and "!.venv" not in ignored


def test_the_lock_pins_every_runtime_dependency_with_hashes_in_range() -> None:
    lock = (DEPLOY / "requirements.lock").read_text()
    pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", lock, re.MULTILINE))
    project = tomllib.loads((DEPLOY.parent / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = re.sub(r"[._]", "-", requirement.name.lower())
        assert name in pinned, f"{name} is not in deploy/requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]}: make lock"
    blocks = re.split(r"\n(?=[a-z])", lock.split("\n\n", 1)[-1])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)
