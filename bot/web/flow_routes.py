"""The flows pages' routes (admins only), registered by ``bot.web.app.routes``."""

from __future__ import annotations

from starlette.routing import Route

from bot.web import flow_dry_run, flow_pages, flow_release_pages


def flow_routes() -> list[Route]:
    return [
        Route("/flows", flow_pages.flows_list, methods=["GET"]),
        Route("/flows/{flow_id}", flow_pages.flow_page, methods=["GET"]),
        Route("/flows/{flow_id}/draft", flow_pages.save_flow_draft, methods=["POST"]),
        Route("/flows/{flow_id}/draft/discard", flow_pages.discard_flow_draft, methods=["POST"]),
        Route("/flows/{flow_id}/scripts", flow_release_pages.run_flow_scripts, methods=["POST"]),
        Route("/flows/{flow_id}/publish", flow_release_pages.publish_flow, methods=["POST"]),
        Route("/flows/{flow_id}/rollback", flow_release_pages.rollback_flow, methods=["POST"]),
        Route("/flows/{flow_id}/diff", flow_release_pages.flow_version_diff, methods=["GET"]),
        Route("/flows/{flow_id}/try", flow_dry_run.dry_run_page, methods=["GET"]),
        Route("/flows/{flow_id}/try", flow_dry_run.dry_run_answer, methods=["POST"]),
    ]
