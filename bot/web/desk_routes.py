"""The operators' pages' routes (cases, case detail, review actions, report, exports), one list for app.py."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from bot.web import case_actions, case_files, case_page, cases_page, exports_page, report_page


def desk_routes() -> list[BaseRoute]:
    return [
        Route("/cases", cases_page.cases_page, methods=["GET"]),
        Route("/cases/{reference}", case_page.case_page, methods=["GET"]),
        Route(
            "/cases/{reference}/attachments/{index:int}",
            case_files.case_attachment,
            methods=["GET"],
        ),
        Route("/cases/{reference}/lock", case_actions.lock_case, methods=["POST"]),
        Route("/cases/{reference}/unlock", case_actions.unlock_case, methods=["POST"]),
        Route("/cases/{reference}/mark", case_actions.mark_case, methods=["POST"]),
        Route("/cases/{reference}/assign", case_actions.assign_case, methods=["POST"]),
        Route("/cases/{reference}/note", case_actions.note_case, methods=["POST"]),
        Route("/report", report_page.report_page, methods=["GET"]),
        Route("/report/charts/{name}.png", report_page.report_chart, methods=["GET"]),
        Route("/exports", exports_page.exports_page, methods=["GET"]),
        Route("/exports", exports_page.start_export, methods=["POST"]),
        Route("/exports/{job}", exports_page.export_status, methods=["GET"]),
        Route("/exports/{job}/download", exports_page.export_download, methods=["GET"]),
    ]
