"""Reading the deploy files as an operator's tools would: YAML documents and env names."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from services.observability.settings import OperationsSettings
from services.secret_files import SECRET_NAMES
from services.settings import Settings
from services.store.kafka.settings import KafkaStoreSettings
from services.workers.settings import WorkerSettings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def compose() -> dict[str, Any]:
    """deploy/compose.yaml, merge keys resolved."""
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def manifests() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every Kubernetes object in deploy/k8s (the kustomization is not one)."""
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path.name, doc


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    """The pod template of every Deployment and Job."""
    for name, doc in manifests():
        if doc["kind"] in ("Deployment", "Job"):
            yield f"{name}:{doc['metadata']['name']}", doc["spec"]["template"]["spec"]


def ours(service: dict[str, Any]) -> bool:
    """A compose service that runs the zhulian image (not Kafka, not PostgreSQL)."""
    return "build" in service


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an env file."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def names_in_deploy_files() -> dict[str, str]:
    """Every environment variable a zhulian process is given, with where it is named."""
    named = {key: "zhulian.env" for key in env_file(DEPLOY / "zhulian.env")}
    for service_name, service in compose()["services"].items():
        if ours(service):
            for key in service.get("environment") or {}:
                named[key] = f"compose.yaml:{service_name}"
    for name, doc in manifests():
        if doc["kind"] == "ConfigMap":
            named.update({key: name for key in doc["data"]})
    for where, spec in pod_specs():
        for container in spec["containers"]:
            named.update({e["name"]: where for e in container.get("env", [])})
    return named


def known_settings() -> set[str]:
    """Every environment variable some settings class of the service reads."""
    known = {"PERSISTENCE_MODULE", "DATABASE_URL"}
    for cls in (Settings, OperationsSettings, WorkerSettings):
        known |= {f"ZHULIAN_{field.upper()}" for field in cls.model_fields}
    source = inspect.getsource(KafkaStoreSettings.from_env)
    known |= set(re.findall(r'"([A-Z][A-Z0-9_]+)"', source))
    known |= {f"{name}_FILE" for name in SECRET_NAMES}
    return known
