"""The web chat's own sentences (page furniture): part of the one catalogue.

Keys are ``web.<name>``; the interview's sentences (questions, buttons, errors) come from the
flow and the interview messages.
"""

from __future__ import annotations

WEB_CHAT_MESSAGES: dict[str, dict[str, str]] = {
    "web.chat_product": {"ko": "complaintbot 피해 접수", "en": "complaintbot damage report"},
    "web.chat_title": {"ko": "피해 접수", "en": "Report your damage"},
    "web.chat_intro": {
        "ko": "카카오 서비스 장애로 입은 피해를 여기서 접수할 수 있습니다. 질문에 하나씩 답하면 됩니다.",
        "en": "Here you can report damage you suffered from the Kakao service outage. Answer the questions one by one.",
    },
    "web.chat_start": {"ko": "접수 시작", "en": "Start a report"},
    "web.chat_resume_title": {"ko": "이어서 하기", "en": "Continue a report"},
    "web.chat_resume_intro": {
        "ko": "다른 기기에서 시작했다면 받은 재개 코드를 입력하세요.",
        "en": "Started on another device? Enter the resume code you were given.",
    },
    "web.chat_resume_code": {"ko": "재개 코드", "en": "Resume code"},
    "web.chat_resume_hint": {"ko": "예: 7KQ2-M9XD-4HBT", "en": "For example 7KQ2-M9XD-4HBT"},
    "web.chat_resume_button": {"ko": "이어서 하기", "en": "Continue"},
    "web.chat_resume_bad": {
        "ko": "재개 코드는 12자리(영문과 숫자)입니다. 다시 확인해 주세요.",
        "en": "A resume code has 12 letters and digits. Please check it.",
    },
    "web.chat_resume_unknown": {
        "ko": "이 코드로 진행 중인 접수나 접수 내역이 없습니다.",
        "en": "No report under way and no case was found for this code.",
    },
    "web.chat_resume_limited": {
        "ko": "시도가 너무 많습니다. 15분 뒤에 다시 해 주세요.",
        "en": "Too many tries. Please try again in 15 minutes.",
    },
    "web.chat_your_code": {"ko": "내 재개 코드: {code}", "en": "Your resume code: {code}"},
    "web.chat_code_note": {
        "ko": "이 기기는 {days}일 동안 접수를 기억합니다. 다른 기기에서 이어서 하려면 이 코드를 적어 두세요. 답변은 저장되어 있으니 언제 멈춰도 됩니다.",
        "en": "This device remembers your report for {days} days. Write this code down to continue on another device. Your answers are saved: you can stop at any time.",
    },
    "web.chat_expiry_note": {
        "ko": "이 페이지를 {hours}시간 넘게 열어 두었다면 답하기 전에 새로 고침하세요. 답변은 그대로 남습니다.",
        "en": "If this page has been open for more than {hours} hours, reload it before you answer. Your answers stay saved.",
    },
    "web.chat_question": {"ko": "질문", "en": "Question"},
    "web.chat_conversation": {"ko": "지금까지의 대화", "en": "The conversation so far"},
    "web.chat_answer": {"ko": "답변", "en": "Your answer"},
    "web.chat_send": {"ko": "보내기", "en": "Send"},
    "web.chat_selected": {"ko": "선택됨", "en": "selected"},
    "web.chat_not_selected": {"ko": "선택 안 됨", "en": "not selected"},
    "web.chat_options": {"ko": "선택지", "en": "Options"},
    "web.chat_file": {"ko": "파일 선택", "en": "Choose a file"},
    "web.chat_file_hint": {
        "ko": "사진(JPEG, PNG, GIF, WebP, HEIC) 또는 PDF, {mb}MB까지",
        "en": "A photo (JPEG, PNG, GIF, WebP, HEIC) or a PDF, up to {mb} MB",
    },
    "web.chat_attach": {"ko": "첨부하기", "en": "Attach"},
    "web.chat_attached": {
        "ko": "첨부한 파일: {count}/{most}개",
        "en": "Files attached: {count} of {most}",
    },
    "web.chat_upload_empty": {"ko": "파일을 골라 주세요.", "en": "Please choose a file."},
    "web.chat_upload_too_large": {
        "ko": "파일이 너무 큽니다. {mb}MB까지 보낼 수 있습니다.",
        "en": "The file is too large. Files of up to {mb} MB are accepted.",
    },
    "web.chat_upload_type": {
        "ko": "이 종류의 파일은 받을 수 없습니다. 사진이나 PDF를 보내 주세요.",
        "en": "This kind of file is not accepted. Please send a photo or a PDF.",
    },
    "web.chat_summary": {"ko": "답변 확인", "en": "Your answers"},
    "web.chat_understood": {"ko": "입력한 답: {echo}", "en": "Understood: {echo}"},
    "web.chat_resumed_where": {
        "ko": "이어서 진행합니다. 지금까지 {count}개 질문에 답했습니다. 아래가 다음 질문입니다.",
        "en": "Welcome back. You have answered {count} questions so far; the next one is below.",
    },
    "web.chat_problem": {"ko": "문제", "en": "Problem"},
    "web.chat_case_title": {"ko": "접수가 끝났습니다", "en": "Your report is filed"},
    "web.chat_my_cases": {"ko": "내 접수 내역", "en": "My cases"},
    "web.chat_my_data": {"ko": "내 정보 보기", "en": "My data"},
    "web.chat_my_data_intro": {
        "ko": "이 기기(재개 코드)로 저장된 내 정보입니다. 다른 사람의 정보는 보이지 않습니다.",
        "en": "What is stored about you under this resume code; nobody else's data shows here.",
    },
    "web.chat_no_cases": {
        "ko": "아직 접수한 내역이 없습니다.",
        "en": "You have not filed a case yet.",
    },
    "web.chat_case_reference": {"ko": "접수번호", "en": "Case number"},
    "web.chat_case_date": {"ko": "접수일", "en": "Filed"},
    "web.chat_case_status": {"ko": "상태", "en": "Status"},
    "web.chat_cases_caption": {
        "ko": "이 기기(재개 코드)로 접수한 내역",
        "en": "Cases filed with this resume code",
    },
    "web.chat_new_report": {"ko": "새로 접수하기", "en": "Start another report"},
    "web.chat_back_to_chat": {"ko": "접수 화면으로", "en": "Back to the report"},
    "web.chat_forget": {"ko": "이 기기에서 코드 지우기", "en": "Forget the code on this device"},
    "web.chat_forgotten": {
        "ko": "이 기기에서 재개 코드를 지웠습니다. 코드가 있으면 언제든 이어서 할 수 있습니다.",
        "en": "The resume code is forgotten on this device. With the code you can continue at any time.",
    },
    "web.chat_stale": {
        "ko": "이전 질문의 버튼이었습니다. 지금 질문은 아래에 있습니다.",
        "en": "That button belonged to an earlier question. The current question is below.",
    },
    "web.chat_limited_title": {"ko": "요청이 너무 많습니다", "en": "Too many requests"},
    "web.chat_limited": {
        "ko": "잠시(1분) 기다린 뒤에 다시 해 주세요. 답변은 저장되어 있습니다.",
        "en": "Please wait a minute and try again. Your answers are saved.",
    },
    "web.chat_language": {"ko": "언어 바꾸기", "en": "Change language"},
    "web.chat_case_line": {
        "ko": "{reference}: {status}, {date}",
        "en": "{reference}: {status}, {date}",
    },
}
