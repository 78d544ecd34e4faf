"""The channels' own sentences (Telegram, the terminal, any chat): part of the one catalogue.

Keys are namespaced by who shows them: ``chat.*`` for every channel, ``telegram.*`` and
``terminal.*`` for one channel's commands and hints.
"""

from __future__ import annotations

CHANNEL_MESSAGES: dict[str, dict[str, str]] = {
    # every channel
    "chat.resumed": {
        "ko": "진행 중이던 접수를 이어서 합니다.",
        "en": "Continuing your open report.",
    },
    "chat.case_number": {"ko": "접수번호: {reference}", "en": "Case number: {reference}"},
    "chat.nothing_open": {
        "ko": "진행 중인 접수가 없습니다. /start 로 새로 시작하실 수 있습니다.",
        "en": "You have no open report. Send /start to begin one.",
    },
    "chat.stale": {
        "ko": "지난 질문의 버튼입니다. 지금 질문을 다시 보내 드립니다.",
        "en": "That button belongs to an earlier question. Here is the current one.",
    },
    "chat.try_again": {
        "ko": "일시적인 문제로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.",
        "en": "Something went wrong on our side. Please try again in a moment.",
    },
    "language.name": {"ko": "한국어", "en": "English"},
    # Telegram: the command menu clients show (setMyCommands), one line per command
    "telegram.menu.start": {
        "ko": "피해 접수 시작 (진행 중이면 이어서)",
        "en": "Report harm (or continue your report)",
    },
    "telegram.menu.status": {"ko": "내 접수 내역", "en": "My reports"},
    "telegram.menu.cancel": {"ko": "진행 중인 접수 그만하기", "en": "Stop the open report"},
    "telegram.menu.language": {
        "ko": "언어 바꾸기 / Language",
        "en": "Change the language / 언어",
    },
    "telegram.menu.privacy": {
        "ko": "개인정보 수집·이용 안내",
        "en": "How we use your personal information",
    },
    "telegram.menu.mydata": {"ko": "내 정보 보기", "en": "See the data stored about me"},
    "telegram.menu.delete": {"ko": "내 정보 삭제", "en": "Erase my data"},
    "telegram.menu.help": {"ko": "도움말", "en": "Help"},
    "telegram.menu.stats": {"ko": "접수 현황 (운영자)", "en": "Report figures (operators)"},
    "telegram.menu.export": {
        "ko": "사례 CSV 내보내기 (운영자)",
        "en": "Export cases as CSV (operators)",
    },
    # Telegram
    "telegram.unsupported": {
        "ko": (
            "죄송합니다. 스티커, 음성 메시지, 위치 같은 내용은 받을 수 없습니다. "
            "답은 글자로 적으시거나 버튼을 눌러 주세요. 증빙 자료는 사진이나 파일로 보내 주세요."
        ),
        "en": (
            "Sorry, I cannot take stickers, voice messages, locations and the like. Please "
            "type your answer or press a button; send evidence as a photo or a file."
        ),
    },
    "telegram.private_only": {
        "ko": "피해 접수는 1:1 대화에서만 받습니다. @{bot} 에게 개인 메시지로 /start 를 보내 주세요.",
        "en": "Damage reports are taken in a private chat only. Please send /start to @{bot} directly.",
    },
    "telegram.unknown_command": {
        "ko": "알 수 없는 명령입니다. /help 를 보내시면 쓸 수 있는 명령을 알려 드립니다.",
        "en": "I do not know that command. Send /help to see what I can do.",
    },
    "telegram.help": {
        "ko": (
            "서비스 장애로 입은 피해를 접수하는 봇입니다. 질문에 답하시거나 버튼을 눌러 주세요.\n\n"
            "/start 접수 시작 (진행 중이면 이어서)\n"
            "/cancel 진행 중인 접수 그만하기\n"
            "/language 언어 바꾸기\n"
            "/status 내 접수 내역\n"
            "/privacy 개인정보 수집·이용 안내\n"
            "/mydata 내 정보 보기\n"
            "/delete 내 정보 삭제\n"
            "/help 이 도움말"
        ),
        "en": (
            "This bot takes reports of harm caused by a service outage. Answer the questions "
            "or press the buttons.\n\n"
            "/start start a report (or continue an open one)\n"
            "/cancel stop the open report\n"
            "/language change the language\n"
            "/status my reports\n"
            "/privacy how we use your personal information\n"
            "/mydata see the data stored about me\n"
            "/delete erase my data\n"
            "/help this help"
        ),
    },
    "telegram.status_none": {
        "ko": "접수하신 내역이 없습니다. /start 로 접수하실 수 있습니다.",
        "en": "You have not filed any report yet. Send /start to file one.",
    },
    "telegram.status_header": {"ko": "내 접수 내역", "en": "My reports"},
    "telegram.status_open": {
        "ko": "작성 중인 접수가 하나 있습니다. /start 로 이어서 하실 수 있습니다.",
        "en": "You also have a report in progress; send /start to continue it.",
    },
    "telegram.case.received": {"ko": "접수됨", "en": "received"},
    "telegram.case.duplicate": {"ko": "중복 접수", "en": "duplicate"},
    "telegram.case.unrelated": {"ko": "관련 없음", "en": "not related"},
    "telegram.case.reviewed": {"ko": "검토 완료", "en": "reviewed"},
    "telegram.case.rejected": {"ko": "반려", "en": "rejected"},
    "telegram.delete_ask": {
        "ko": (
            "내 정보를 지우시겠습니까? 진행 중인 접수와, 접수하신 사례의 연락처·직접 적으신 내용·"
            "증빙 파일이 지워지며 되돌릴 수 없습니다. 개인을 알아볼 수 없는 통계 집계는 남습니다."
        ),
        "en": (
            "Erase your data? Your open report, and the contact details, your own words and the "
            "evidence files of reports you filed, will be deleted for good. Anonymous counts, "
            "from which no one can be identified, stay."
        ),
    },
    "telegram.delete_yes": {"ko": "네, 지워 주세요", "en": "Yes, erase it"},
    "telegram.delete_no": {"ko": "아니요", "en": "No"},
    "telegram.deleted": {
        "ko": "내 정보를 지웠습니다. (대화 {conversations}건, 접수 {cases}건)",
        "en": "Your data has been erased ({conversations} conversation(s), {cases} report(s)).",
    },
    "telegram.delete_kept": {"ko": "지우지 않았습니다.", "en": "Nothing was erased."},
    "telegram.language_ask": {
        "ko": "언어를 선택해 주세요 / Please choose your language",
        "en": "언어를 선택해 주세요 / Please choose your language",
    },
    "telegram.language_set": {
        "ko": "언어를 한국어로 바꿨습니다.",
        "en": "The language is now English.",
    },
    "telegram.files_received": {
        "ko": "📎 파일 {count}/{max}개를 받았습니다. 더 보내시거나 '완료'를 눌러 주세요.",
        "en": "📎 Received {count} of up to {max} file(s). Send more, or press 'Done'.",
    },
    "telegram.reminder": {
        "ko": "작성하시던 피해 접수가 아직 끝나지 않았습니다. 이어서 하시려면 아래 버튼을 눌러 주세요.",
        "en": "Your damage report is not finished yet. Press the button below to continue.",
    },
    "telegram.stats_header": {"ko": "접수 현황 ({flow})", "en": "Reports ({flow})"},
    "telegram.stats_total": {
        "ko": "전체 {total}건 · 오늘 {today}건",
        "en": "Total {total} · today {today}",
    },
    "telegram.stats_by": {
        "ko": "{dimension}별 (전체 / 오늘)",
        "en": "By {dimension} (total / today)",
    },
    "telegram.export_caption": {
        "ko": "접수 사례 {count}건 (개인정보 가림)",
        "en": "{count} case(s), personal data masked",
    },
    # the terminal chat
    "terminal.commands": {
        "ko": "명령: 이전 · 건너뛰기 · 그만하기 · 내정보 · 종료(나중에 이어서 하기)",
        "en": "Commands: back · skip · cancel · mydata · quit (continue later)",
    },
    "terminal.confirm": {
        "ko": "맞으면 '제출', 고치려면 '수정 번호' (예: 수정 2)",
        "en": "Type 'submit' if this is right, or 'edit N' to change answer N",
    },
    "terminal.yes_no": {"ko": "번호를 입력해 주세요 (1 또는 2)", "en": "Type 1 or 2"},
    "terminal.multi": {
        "ko": "번호를 쉼표로 구분해 입력 (예: 1,3)",
        "en": "Type numbers separated by commas (e.g. 1,3)",
    },
    "terminal.file": {
        "ko": "파일 경로를 입력해 첨부하고, 다 되면 '완료' (또는 '건너뛰기')",
        "en": "Type a file path to attach it, then 'done' (or 'skip')",
    },
    "terminal.info": {"ko": "계속하려면 Enter", "en": "Press Enter to continue"},
    "terminal.saved": {
        "ko": "지금까지의 답을 저장했습니다. `{command}`을(를) 다시 실행하면 이어서 진행합니다.",
        "en": "Your answers so far are saved. Run `{command}` again to continue where you left off.",
    },
    "terminal.attached": {"ko": "첨부됨 ({count}개)", "en": "Attached ({count})"},
    "terminal.no_file": {
        "ko": "그 경로에 파일이 없습니다.",
        "en": "There is no file at that path.",
    },
}
