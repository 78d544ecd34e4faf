"""The web chat's own sentences (page furniture), in Korean and English. The interview's
sentences (questions, buttons, errors) come from the flow and the message catalogue."""

from __future__ import annotations

from typing import Any

from bot.web.words import translate

CHAT_WORDS: dict[str, tuple[str, str]] = {
    "chat_product": ("complaintbot 피해 접수", "complaintbot damage report"),
    "chat_title": ("피해 접수", "Report your damage"),
    "chat_intro": (
        "카카오 서비스 장애로 입은 피해를 여기서 접수할 수 있습니다. 질문에 하나씩 답하면 됩니다.",
        "Here you can report damage you suffered from the Kakao service outage. "
        "Answer the questions one by one.",
    ),
    "chat_start": ("접수 시작", "Start a report"),
    "chat_resume_title": ("이어서 하기", "Continue a report"),
    "chat_resume_intro": (
        "다른 기기에서 시작했다면 받은 재개 코드를 입력하세요.",
        "Started on another device? Enter the resume code you were given.",
    ),
    "chat_resume_code": ("재개 코드", "Resume code"),
    "chat_resume_hint": ("예: 7KQ2-M9XD-4HBT", "For example 7KQ2-M9XD-4HBT"),
    "chat_resume_button": ("이어서 하기", "Continue"),
    "chat_resume_bad": (
        "재개 코드는 12자리(영문과 숫자)입니다. 다시 확인해 주세요.",
        "A resume code has 12 letters and digits. Please check it.",
    ),
    "chat_resume_unknown": (
        "이 코드로 진행 중인 접수나 접수 내역이 없습니다.",
        "No report under way and no case was found for this code.",
    ),
    "chat_resume_limited": (
        "시도가 너무 많습니다. 15분 뒤에 다시 해 주세요.",
        "Too many tries. Please try again in 15 minutes.",
    ),
    "chat_your_code": ("내 재개 코드: {code}", "Your resume code: {code}"),
    "chat_code_note": (
        "이 기기는 {days}일 동안 접수를 기억합니다. 다른 기기에서 이어서 하려면 이 코드를 적어 두세요. "
        "답변은 저장되어 있으니 언제 멈춰도 됩니다.",
        "This device remembers your report for {days} days. Write this code down to continue "
        "on another device. Your answers are saved: you can stop at any time.",
    ),
    "chat_expiry_note": (
        "이 페이지를 {hours}시간 넘게 열어 두었다면 답하기 전에 새로 고침하세요. 답변은 그대로 남습니다.",
        "If this page has been open for more than {hours} hours, reload it before you answer. "
        "Your answers stay saved.",
    ),
    "chat_question": ("질문", "Question"),
    "chat_conversation": ("지금까지의 대화", "The conversation so far"),
    "chat_answer": ("답변", "Your answer"),
    "chat_send": ("보내기", "Send"),
    "chat_selected": ("선택됨", "selected"),
    "chat_not_selected": ("선택 안 됨", "not selected"),
    "chat_options": ("선택지", "Options"),
    "chat_file": ("파일 선택", "Choose a file"),
    "chat_file_hint": (
        "사진(JPEG, PNG, GIF, WebP, HEIC) 또는 PDF, {mb}MB까지",
        "A photo (JPEG, PNG, GIF, WebP, HEIC) or a PDF, up to {mb} MB",
    ),
    "chat_attach": ("첨부하기", "Attach"),
    "chat_attached": ("첨부한 파일: {count}/{most}개", "Files attached: {count} of {most}"),
    "chat_upload_empty": ("파일을 골라 주세요.", "Please choose a file."),
    "chat_upload_too_large": (
        "파일이 너무 큽니다. {mb}MB까지 보낼 수 있습니다.",
        "The file is too large. Files of up to {mb} MB are accepted.",
    ),
    "chat_upload_type": (
        "이 종류의 파일은 받을 수 없습니다. 사진이나 PDF를 보내 주세요.",
        "This kind of file is not accepted. Please send a photo or a PDF.",
    ),
    "chat_summary": ("답변 확인", "Your answers"),
    "chat_understood": ("입력한 답: {echo}", "Understood: {echo}"),
    "chat_resumed_where": (
        "이어서 진행합니다. 지금까지 {count}개 질문에 답했습니다. 아래가 다음 질문입니다.",
        "Welcome back. You have answered {count} questions so far; the next one is below.",
    ),
    "chat_problem": ("문제", "Problem"),
    "chat_case_title": ("접수가 끝났습니다", "Your report is filed"),
    "chat_my_cases": ("내 접수 내역", "My cases"),
    "chat_no_cases": ("아직 접수한 내역이 없습니다.", "You have not filed a case yet."),
    "chat_case_reference": ("접수번호", "Case number"),
    "chat_case_date": ("접수일", "Filed"),
    "chat_case_status": ("상태", "Status"),
    "chat_cases_caption": ("이 기기(재개 코드)로 접수한 내역", "Cases filed with this resume code"),
    "chat_new_report": ("새로 접수하기", "Start another report"),
    "chat_back_to_chat": ("접수 화면으로", "Back to the report"),
    "chat_forget": ("이 기기에서 코드 지우기", "Forget the code on this device"),
    "chat_forgotten": (
        "이 기기에서 재개 코드를 지웠습니다. 코드가 있으면 언제든 이어서 할 수 있습니다.",
        "The resume code is forgotten on this device. With the code you can continue at any time.",
    ),
    "chat_stale": (
        "이전 질문의 버튼이었습니다. 지금 질문은 아래에 있습니다.",
        "That button belonged to an earlier question. The current question is below.",
    ),
    "chat_limited_title": ("요청이 너무 많습니다", "Too many requests"),
    "chat_limited": (
        "잠시(1분) 기다린 뒤에 다시 해 주세요. 답변은 저장되어 있습니다.",
        "Please wait a minute and try again. Your answers are saved.",
    ),
    "chat_language": ("언어 바꾸기", "Change language"),
    "chat_case_line": ("{reference}: {status}, {date}", "{reference}: {status}, {date}"),
}


def chat_word(language: str, key: str, **values: Any) -> str:
    """A chat sentence, or else a console one (the shared layout's words)."""
    found = CHAT_WORDS.get("chat_product" if key == "product" else key)
    if found is None:
        return translate(language, key, **values)
    text = found[1] if language == "en" else found[0]
    return text.format(**values) if values else text
