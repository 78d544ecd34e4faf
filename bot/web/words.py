"""Every sentence the web console shows, in Korean and English."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}

WORDS: dict[str, tuple[str, str]] = {
    # layout
    "product": ("complaintbot 콘솔", "complaintbot console"),
    "skip_to_content": ("본문으로 건너뛰기", "Skip to main content"),
    "main_menu": ("주 메뉴", "Main menu"),
    "display_settings": ("화면 설정", "Display settings"),
    "language": ("언어", "Language"),
    "large_text": ("큰 글씨", "Large text"),
    "high_contrast": ("고대비", "High contrast"),
    "on": ("켜짐", "on"),
    "off": ("꺼짐", "off"),
    "signed_in_as": ("{name}({role})로 로그인함", "Signed in as {name} ({role})"),
    "sign_out": ("로그아웃", "Sign out"),
    "nav_home": ("홈", "Home"),
    "nav_audit": ("감사 기록", "Audit log"),
    "nav_users": ("계정", "Accounts"),
    "messages": ("알림", "Messages"),
    "role_admin": ("관리자", "admin"),
    "role_operator": ("운영자", "operator"),
    "footer": (
        "complaintbot — 대규모 서비스 장애 피해 접수",
        "complaintbot — damage intake for mass service outages",
    ),
    # sign-in
    "sign_in_title": ("로그인", "Sign in"),
    "sign_in_intro": (
        "관리자와 운영자용 콘솔입니다. 계정 이름과 비밀번호를 입력하세요.",
        "The console for admins and operators. Enter your account name and password.",
    ),
    "account_name": ("계정 이름", "Account name"),
    "password": ("비밀번호", "Password"),
    "sign_in_button": ("로그인", "Sign in"),
    "sign_in_failed": (
        "계정 이름 또는 비밀번호가 맞지 않습니다.",
        "The account name or the password is not right.",
    ),
    "sign_in_limited": (
        "로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 시도하세요.",
        "Too many failed sign-ins. Please try again in {minutes} minutes.",
    ),
    "field_required": ("입력해 주세요.", "Please fill this in."),
    "signed_out": ("로그아웃했습니다.", "You are signed out."),
    "session_ended": (
        "세션이 끝났습니다. 다시 로그인하세요.",
        "Your session has ended. Please sign in again.",
    ),
    "errors_title": ("다음을 고쳐 주세요", "Please correct the following"),
    # one-time links
    "setup_first_admin_title": ("첫 관리자 만들기", "Create the first admin"),
    "setup_first_admin_intro": (
        "아직 관리자가 없습니다. 이 링크는 한 번만 쓸 수 있습니다. 관리자 계정의 이름과 비밀번호를 정하세요.",
        "There is no admin yet. This link works once. Choose the admin account's name and password.",
    ),
    "set_password_title": ("비밀번호 정하기", "Choose your password"),
    "set_password_intro": (
        "{name} 계정({role})의 비밀번호를 정하세요. 이 링크는 한 번만 쓸 수 있습니다.",
        "Choose the password of the account {name} ({role}). This link works once.",
    ),
    "new_password": ("새 비밀번호", "New password"),
    "repeat_password": ("비밀번호 확인", "Repeat the password"),
    "password_hint": (
        "10자 이상. 긴 문장이 외우기 쉽고 안전합니다.",
        "At least 10 characters. A long sentence is easy to remember and safe.",
    ),
    "name_hint": (
        "영문 소문자, 숫자, 점, 밑줄, 하이픈 2~64자.",
        "2-64 lowercase letters, digits, dots, underscores or hyphens.",
    ),
    "save_password": ("저장하고 로그인하기", "Save and sign in"),
    "create_admin": ("관리자 만들기", "Create the admin"),
    "passwords_differ": ("두 비밀번호가 다릅니다.", "The two passwords differ."),
    "weak_password": (
        "비밀번호는 10자 이상이어야 하고 계정 이름과 달라야 합니다.",
        "A password needs at least 10 characters and must differ from the account name.",
    ),
    "invalid_name": (
        "계정 이름은 영문 소문자, 숫자, 점, 밑줄, 하이픈 2~64자입니다.",
        "An account name is 2-64 lowercase letters, digits, dots, underscores or hyphens.",
    ),
    "name_taken": ("이미 있는 계정 이름입니다.", "There is already an account with this name."),
    "link_invalid_title": ("쓸 수 없는 링크", "This link cannot be used"),
    "link_invalid": (
        "이 링크는 이미 쓰였거나 기한이 지났습니다. 관리자에게 새 링크를 요청하세요.",
        "This link was used already or has expired. Ask an admin for a new one.",
    ),
    "welcome_admin": (
        "첫 관리자 {name} 계정을 만들었습니다.",
        "The first admin, {name}, is set up.",
    ),
    "password_saved": ("비밀번호를 저장했습니다.", "Your password is saved."),
    # own password
    "nav_password": ("비밀번호 변경", "Change password"),
    "change_password_title": ("비밀번호 변경", "Change your password"),
    "change_password_intro": (
        "지금 비밀번호를 입력한 뒤 새 비밀번호를 정하세요. 다른 기기의 로그인은 끝납니다.",
        "Enter your current password, then choose a new one. Your other signed-in browsers are signed out.",
    ),
    "current_password": ("지금 비밀번호", "Current password"),
    "change_password_button": ("비밀번호 바꾸기", "Change the password"),
    "wrong_password": ("지금 비밀번호가 맞지 않습니다.", "The current password is not right."),
    "password_changed": ("비밀번호를 바꿨습니다.", "Your password is changed."),
    # home
    "home_title": ("콘솔", "Console"),
    "home_intro": (
        "접수 현황, 인터뷰 흐름, 최근 활동을 한눈에 봅니다.",
        "Cases received, interview flows and recent activity at a glance.",
    ),
    "cases_heading": ("접수 현황", "Cases"),
    "counted_cases": ("집계되는 사례", "Counted cases"),
    "received_today": ("오늘 접수", "Received today"),
    "duplicates": ("중복", "Duplicates"),
    "unrelated": ("무관", "Unrelated"),
    "no_cases_yet": ("아직 접수된 사례가 없습니다.", "No cases have been filed yet."),
    "most_reported": ("많은 순", "most reported"),
    "value": ("값", "Value"),
    "cases": ("사례", "Cases"),
    "not_answered": ("(응답 없음)", "(not answered)"),
    "total": ("합계", "total"),
    "won": ("{amount}원", "KRW {amount}"),
    "flows_heading": ("인터뷰 흐름", "Interview flows"),
    "flow_id": ("흐름 ID", "Flow id"),
    "flow_title": ("이름", "Title"),
    "live_version": ("사용 중인 버전", "Version in use"),
    "stored_versions": ("저장된 버전", "Stored versions"),
    "default_flow": ("기본 흐름", "default flow"),
    "steps": ("단계 {count}개", "{count} steps"),
    "published_at": ("{at}에 저장", "stored {at}"),
    "recent_activity": ("최근 활동", "Recent activity"),
    "see_audit_log": ("감사 기록 전체 보기", "See the whole audit log"),
    "accounts_heading": ("계정", "Accounts"),
    "accounts_summary": (
        "활성 관리자 {admins}명, 활성 운영자 {operators}명.",
        "{admins} active admin(s), {operators} active operator(s).",
    ),
    "manage_accounts": ("계정 관리", "Manage accounts"),
    # audit
    "audit_title": ("감사 기록", "Audit log"),
    "audit_intro": (
        "누가 언제 무엇을 했는지 최신 순으로 보여 줍니다. 개인정보는 기록하지 않습니다.",
        "Who did what, and when, newest first. No personal data is recorded.",
    ),
    "audit_at": ("시각", "When"),
    "audit_actor": ("누가", "Who"),
    "audit_action": ("무엇을", "What"),
    "audit_subject": ("대상", "Subject"),
    "audit_detail": ("내용", "Detail"),
    "audit_empty": ("기록이 없습니다.", "Nothing has been recorded."),
    "audit_access_link": ("개인정보 열람 기록", "Access to personal data"),
    "access_title": ("개인정보 열람 기록", "Access to personal data"),
    "access_intro": (
        "직원이 개인정보를 본 기록입니다(누가, 언제, 어떤 사건의 어떤 항목을, 왜). 최근 {shown}건을 "
        "보여 주며, 전체 기록은 complaintbot privacy access-log 로 볼 수 있습니다. 이 기록은 "
        "보존 기간 삭제 대상이 아닙니다.",
        "Staff views of personal data: who, when, which case, which fields, and why. The newest "
        "{shown} are shown; complaintbot privacy access-log lists them all. The retention purge "
        "never deletes them.",
    ),
    "access_filter": ("이 사람만 보기", "Show this person only"),
    "access_case": ("사건", "Case"),
    "access_fields": ("본 항목", "Fields shown"),
    "access_reason": ("목적", "Purpose"),
    "older": ("이전 기록", "Older entries"),
    "newest": ("최신 기록", "Newest entries"),
    "audit_pages": ("감사 기록 페이지", "Audit log pages"),
    # users
    "users_title": ("계정", "Accounts"),
    "users_intro": (
        "운영자는 사례를 보고 보고서를 읽습니다. 관리자는 그 밖에 흐름과 계정을 관리합니다.",
        "Operators review cases and read the report; admins also manage flows and accounts.",
    ),
    "role": ("역할", "Role"),
    "status": ("상태", "Status"),
    "created": ("만든 날", "Created"),
    "actions": ("작업", "Actions"),
    "status_active": ("사용 중", "active"),
    "status_disabled": ("사용 중지됨", "disabled"),
    "status_waiting": ("비밀번호 설정 대기", "waiting for a password"),
    "disable": ("사용 중지", "Disable"),
    "disable_account": ("{name} 계정 사용 중지", "Disable the account {name}"),
    "enable": ("다시 사용", "Enable"),
    "enable_account": ("{name} 계정 다시 사용", "Enable the account {name}"),
    "enabled_done": (
        "{name} 계정을 다시 쓸 수 있습니다. 새로 로그인해야 합니다.",
        "The account {name} is enabled again; its owner signs in anew.",
    ),
    "new_link": ("새 비밀번호 링크", "New password link"),
    "new_link_for": ("{name} 계정의 새 비밀번호 링크", "New password link for {name}"),
    "add_account": ("계정 추가", "Add an account"),
    "add_account_button": ("추가하고 링크 만들기", "Add and make a link"),
    "you": ("(나)", "(you)"),
    "disabled_done": ("{name} 계정을 사용 중지했습니다.", "The account {name} is disabled."),
    "last_admin": (
        "마지막 관리자는 사용 중지할 수 없습니다. 먼저 다른 관리자를 추가하세요.",
        "The last admin cannot be disabled. Add another admin first.",
    ),
    "unknown_account": ("그런 계정이 없습니다.", "There is no such account."),
    "link_title": ("한 번 쓰는 링크", "One-time link"),
    "link_intro": (
        "{name} 계정의 비밀번호 설정 링크입니다. 지금만 보입니다. {hours}시간 안에 한 번 쓸 수 있습니다. 본인에게 안전하게 전달하세요.",
        "The link that sets the password of {name}. It is shown only now and works once within {hours} hours. Pass it on safely to its owner.",
    ),
    "link_label": ("링크", "Link"),
    "back_to_accounts": ("계정 목록으로", "Back to the accounts"),
    # errors
    "forbidden_title": ("권한이 없습니다", "Not allowed"),
    "forbidden": (
        "이 페이지는 관리자만 볼 수 있습니다. 필요하면 관리자에게 요청하세요.",
        "Only admins can open this page. Ask an admin if you need it.",
    ),
    "csrf_title": ("요청을 처리하지 못했습니다", "The request was not accepted"),
    "csrf": (
        "페이지가 오래되었거나 다른 곳에서 보낸 요청입니다. 페이지를 새로 고친 뒤 다시 시도하세요.",
        "The page was out of date or the request came from elsewhere. Reload the page and try again.",
    ),
    "not_found_title": ("페이지를 찾을 수 없습니다", "Page not found"),
    "not_found": ("주소를 확인하세요.", "Please check the address."),
    "too_large_title": ("보낸 내용이 너무 큽니다", "What you sent is too large"),
    "too_large": ("더 작게 나누어 보내 주세요.", "Please send less at a time."),
    "error_title": ("문제가 생겼습니다", "Something went wrong"),
    "error": (
        "잠시 뒤에 다시 시도하세요. 문제가 계속되면 관리자에게 알려 주세요.",
        "Please try again in a moment. If it keeps happening, tell an admin.",
    ),
    "unavailable": (
        "데이터베이스에 잠시 연결할 수 없습니다. 잠시 뒤에 다시 시도하세요.",
        "The database cannot be reached just now. Please try again in a moment.",
    ),
    "go_home": ("홈으로", "Go to the home page"),
}


from bot.web.flow_words import FLOW_WORDS  # noqa: E402  (each page set keeps its own words)

WORDS |= FLOW_WORDS


def translate(language: str, key: str, **values: Any) -> str:
    """The sentence ``key`` in ``language`` (Korean for an unknown one), filled in."""
    korean, english = WORDS[key]
    text = english if language == "en" else korean
    return text.format(**values) if values else text


def _add_desk_words() -> None:
    from bot.web.desk_words import DESK_WORDS  # the operators' pages keep their own sentences

    WORDS.update(DESK_WORDS)


_add_desk_words()
