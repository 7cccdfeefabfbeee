"""The HTTP API: create_app() builds the container, the routers and the error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services import web
from services.api import docs, problems
from services.api.limits import Limits, LimitsMiddleware
from services.api.routers import (
    access_log,
    audit,
    contracts,
    deadlines,
    events,
    funds,
    health,
    households,
    hsds,
    matching,
    metrics,
    needs,
    offerings,
    outcomes,
    pairings,
    proofs,
    referrals,
    resources,
    screening,
    statistics,
    vocabulary,
)
from services.auth import admin as auth_admin
from services.auth import routes as auth_routes
from services.auth.middleware import Authentication
from services.auth.setup import close_authority, open_authority
from services.container import Container
from services.ingest.service import Clock, utc_now
from services.observability.middleware import RequestContext
from services.privacy.middleware import RevealMiddleware
from services.seed import demo_provider_record, load_first_start
from services.settings import Settings
from services.web.routes import login

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None, clock: Clock = utc_now, container: Container | None = None
) -> FastAPI:
    """An API process on the profile the settings choose (or on a container built already)."""
    settings = container.settings if container is not None else settings or Settings()
    given = container

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        container = given or Container(settings, clock)
        app.state.auth = open_authority(settings, demo_provider_record)
        if settings.demo:
            load_first_start(container)
        container.runner.catch_up()
        container.start()
        app.state.container = container
        app.state.readiness = container.readiness
        try:
            yield
        finally:
            container.close()
            close_authority(app.state.auth)

    app = FastAPI(
        title="zhulian 助联",
        summary="Event-sourced referral and resource matching for social-assistance alliances",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(
        LimitsMiddleware,
        limits=Limits(
            body_bytes=settings.max_body_bytes,
            batch_body_bytes=settings.max_batch_body_bytes,
            json_depth=settings.max_json_depth,
            array_items=settings.max_array_items,
            batch_items=settings.max_batch_items,
            string_chars=settings.max_string_chars,
        ),
    )
    app.add_middleware(Authentication)  # deny by default: services/auth/policy.py
    app.add_middleware(RequestContext)
    app.add_middleware(RevealMiddleware)  # personal fields: clear or masked, by the caller's role
    if settings.cors_origins:  # closed by default: no cross-site browser calls at all
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["*"],  # the ce-* headers of binary mode among them
        )
    docs.install(app)
    problems.install(app)
    app.include_router(events.router)
    for read in (needs, referrals, pairings, households, offerings, funds, contracts, resources):
        app.include_router(read.router)
    app.include_router(hsds.router)
    app.include_router(statistics.router)
    app.include_router(outcomes.router)
    app.include_router(matching.router)
    app.include_router(audit.router)
    app.include_router(access_log.router)
    app.include_router(deadlines.router)
    app.include_router(vocabulary.router)
    app.include_router(screening.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(proofs.router)
    app.include_router(auth_routes.router)
    app.include_router(login.router)
    app.include_router(auth_admin.router)
    web.install(app)
    return app
