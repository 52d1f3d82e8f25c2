"""assess: digital-readiness assessment for customer-service digitalisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing the package must stay cheap: `assess score` never loads Flask
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Wire up configuration, database, questionnaires, i18n, blueprints and CLI."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    from assess.catalog import Catalog
    from assess.config import load_config
    from assess.db.schema import check_schema, upgrade
    from assess.db.session import make_engine
    from assess.web import api, auth, compression, errors, health, i18n, inputs, limits, reports, results, security, survey
    from assess.web.database import init_database
    from assess.web.workspace import admin_views
    from assess.web.workspace import bp as workspace_bp

    app = Flask(__name__, instance_relative_config=True,
                template_folder="web/templates", static_folder="web/static")
    app.config.update(load_config(app.instance_path, config))
    inputs.init_app(app)  # before any route: ids in URLs are bounded
    security.init_proxy(app)  # client address, scheme and host as the trusted proxies saw them
    engine = make_engine(app.config["DATABASE_URL"], echo=app.config["SQL_ECHO"])
    app.extensions["assess.catalog"] = Catalog(app.config["QUESTIONNAIRE_DIR"])
    if app.config.get("UPGRADE_DATABASE"):  # `assess serve` on the embedded SQLite default
        from assess.services.peers import rebuild_after_upgrade

        before, _after = upgrade(engine)
        rebuild_after_upgrade(engine, app.extensions["assess.catalog"], before)
    check_schema(engine)  # refuses an outdated schema: run `assess db upgrade`
    init_database(app, engine)
    CSRFProtect(app)
    compression.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(survey.bp)
    app.register_blueprint(results.bp)
    app.register_blueprint(reports.bp)
    limits.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(admin_views.bp)
    api.init_app(app)
    return app
