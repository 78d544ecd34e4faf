"""The interview's own sentences (errors, hints, navigation, typed words): part of the one catalogue."""

from __future__ import annotations

INTERVIEW_MESSAGES: dict[str, dict[str, str]] = {
    # answers that could not be read
    "choice.invalid": {
        "ko": "보기 중에서 골라 주세요. 번호나 보기의 이름을 입력하셔도 됩니다.",
        "en": "Please pick one of the options, by its number or its name.",
    },
    "choice.ambiguous": {
        "ko": "'{typed}'에 해당하는 보기가 여럿입니다 ({numbers}번). 어느 것인지 번호나 이름을 더 정확히 적어 주세요.",
        "en": "'{typed}' fits more than one option ({numbers}). Which one? Give its number or more of its name.",
    },
    "consent.again": {
        "ko": "위 개인정보 수집·이용에 동의하십니까? 안내 전문을 다시 보시려면 '다시 보기'라고 보내 주세요.",
        "en": "Do you agree to the collection and use of personal information above? "
        "To read the full notice again, send 'show again'.",
    },
    "multi.too_few": {
        "ko": "{min}개 이상 골라 주세요.",
        "en": "Please choose at least {min}.",
    },
    "multi.too_many": {
        "ko": "{max}개까지 고를 수 있습니다.",
        "en": "You can choose up to {max}.",
    },
    "text.too_short": {
        "ko": "{min}자 이상 적어 주세요.",
        "en": "Please write at least {min} characters.",
    },
    "text.too_long": {
        "ko": "{max}자 이내로 적어 주세요. (지금 {length}자)",
        "en": "Please keep it under {max} characters (now {length}).",
    },
    "text.rrn": {
        "ko": "주민등록번호는 받지 않습니다. 주민등록번호를 빼고 다시 적어 주세요.",
        "en": "We do not collect resident registration numbers. Please write it again without one.",
    },
    "money.empty": {"ko": "금액을 입력해 주세요.", "en": "Please enter an amount."},
    "money.invalid": {
        "ko": "금액을 알아보지 못했습니다. 예: 30000, 3만원, 3만 5천원",
        "en": "We could not read that amount. For example: 30000, 30,000 won, KRW 35,000",
    },
    "money.negative": {
        "ko": "0원 이상의 금액을 입력해 주세요.",
        "en": "Please enter an amount of 0 won or more.",
    },
    "money.fraction": {
        "ko": "원 단위까지만 입력해 주세요.",
        "en": "Please enter whole won, without fractions.",
    },
    "money.too_large": {
        "ko": "금액이 너무 큽니다. 다시 확인해 주세요.",
        "en": "That amount is too large. Please check it.",
    },
    "money.range": {
        "ko": "{low}원에서 {high}원 사이 중 한 금액으로 적어 주세요. "
        "정확히 모르시면 '약 {low}원'처럼 대략적인 금액도 괜찮습니다.",
        "en": "Please give one amount between {low} and {high} won. "
        "If you are not sure, an estimate such as 'about {low} won' is fine.",
    },
    "money.below_min": {
        "ko": "{min}원 이상이어야 합니다.",
        "en": "It must be at least {min} won.",
    },
    "money.above_max": {
        "ko": "{max}원 이하여야 합니다.",
        "en": "It must be at most {max} won.",
    },
    "number.empty": {"ko": "숫자를 입력해 주세요.", "en": "Please enter a number."},
    "date.missing": {
        "ko": "날짜도 함께 적어 주세요. 예: 10월 15일 오후 3시",
        "en": "Please include the date too, for example 15 Oct 2022 3pm.",
    },
    "brn.invalid": {
        "ko": "사업자등록번호 형식이 아닙니다. 예: 123-45-67891",
        "en": "That is not a business registration number, like 123-45-67891.",
    },
    "number.invalid": {
        "ko": "숫자를 입력해 주세요. 예: 3",
        "en": "Please enter a number, for example 3.",
    },
    "number.not_integer": {
        "ko": "정수로 입력해 주세요. 예: 3",
        "en": "Please enter a whole number, for example 3.",
    },
    "number.below_min": {"ko": "{min} 이상이어야 합니다.", "en": "It must be at least {min}."},
    "number.above_max": {"ko": "{max} 이하여야 합니다.", "en": "It must be at most {max}."},
    "date.empty": {"ko": "날짜를 입력해 주세요.", "en": "Please enter a date."},
    "date.invalid": {
        "ko": "날짜를 알아보지 못했습니다. 예: 2022-10-15, 10월 15일",
        "en": "We could not read that date. For example: 2022-10-15, 15 Oct 2022",
    },
    "time.invalid": {
        "ko": "시각을 알아보지 못했습니다. 예: 오후 3시, 15:30",
        "en": "We could not read that time. For example: 3pm, 15:30",
    },
    "date.too_early": {
        "ko": "{earliest} 이후여야 합니다.",
        "en": "It must be on or after {earliest}.",
    },
    "date.too_late": {
        "ko": "{latest} 이전이어야 합니다.",
        "en": "It must be on or before {latest}.",
    },
    "phone.empty": {"ko": "전화번호를 입력해 주세요.", "en": "Please enter a phone number."},
    "phone.invalid": {
        "ko": "전화번호를 알아보지 못했습니다. 예: 010-1234-5678",
        "en": "That does not look like a phone number. For example: 010-1234-5678 or +82 10 1234 5678",
    },
    "phone.not_mobile": {
        "ko": "휴대전화번호를 적어 주세요. 일반 전화(02-... 등)는 받지 않습니다. 예: 010-1234-5678",
        "en": "Please give a mobile number; landlines (02-...) are not taken here. "
        "For example: 010-1234-5678",
    },
    "date.ambiguous": {
        "ko": "어느 날인지 하나로 정할 수 없습니다. 월과 일을 함께 적어 주세요. (해당하는 날: {choices})",
        "en": "That could be more than one day ({choices}). Please give the month and day.",
    },
    "date.no_anchor": {
        "ko": "무엇의 다음날인지 알 수 없습니다. 날짜로 적어 주세요. 예: 10월 16일 아침",
        "en": "The day after what? Please give the date, for example 16 Oct morning.",
    },
    "email.empty": {"ko": "이메일 주소를 입력해 주세요.", "en": "Please enter an email address."},
    "email.invalid": {
        "ko": "이메일 주소를 확인해 주세요. 예: name@example.com",
        "en": "Please check the email address, for example name@example.com",
    },
    "brn.empty": {
        "ko": "사업자등록번호를 입력해 주세요.",
        "en": "Please enter the business registration number.",
    },
    "brn.length": {
        "ko": "사업자등록번호는 숫자 10자리입니다. 예: 123-45-67891",
        "en": "A business registration number has 10 digits, like 123-45-67891.",
    },
    "brn.checksum": {
        "ko": "사업자등록번호가 올바르지 않습니다. 다시 확인해 주세요.",
        "en": "That business registration number is not valid. Please check it.",
    },
    "file.expected": {
        "ko": "사진이나 파일을 보내 주세요. 다 보내셨으면 '완료'를 누르세요.",
        "en": "Please send a photo or a file. When you are done, press 'Done'.",
    },
    "file.expected.typed": {
        "ko": "파일이 있는 곳(경로)을 적어 주세요. 다 보내셨으면 '완료'라고 적어 주세요.",
        "en": "Please type the path of a photo or a file. When you are done, type 'done'.",
    },
    "file.too_many": {
        "ko": "파일은 {max}개까지 보낼 수 있습니다.",
        "en": "You can send up to {max} files.",
    },
    "file.kind": {
        "ko": "이 질문에는 그 종류의 파일을 받을 수 없습니다.",
        "en": "This question does not take that kind of file.",
    },
    "rating.invalid": {
        "ko": "1부터 {scale}까지 중에서 골라 주세요.",
        "en": "Please choose a score from 1 to {scale}.",
    },
    "required": {
        "ko": "이 질문은 꼭 답해 주셔야 합니다.",
        "en": "This question needs an answer.",
    },
    "cannot_back": {"ko": "더 돌아갈 질문이 없습니다.", "en": "There is no earlier question."},
    "confirm.expected": {
        "ko": "내용이 맞으면 '제출'을, 고칠 항목이 있으면 '수정'을 눌러 주세요.",
        "en": "Press 'Submit' if this is right, or 'Edit' next to an answer to change it.",
    },
    "confirm.expected.typed": {
        "ko": "내용이 맞으면 '제출'이라고, 고칠 항목이 있으면 '수정 2'처럼 번호와 함께 적어 주세요.",
        "en": "Type 'submit' if this is right, or 'edit' and the answer's number (edit 2).",
    },
    "unreadable": {
        "ko": "답을 알아보지 못했습니다. 다시 한 번 입력해 주세요.",
        "en": "We could not read that answer. Please try again.",
    },
    # ways on after three failed tries
    "way_on.skip": {
        "ko": "계속 어려우시면 이 질문은 건너뛰셔도 됩니다.",
        "en": "If this keeps failing, you can skip this question.",
    },
    "way_on.note": {
        "ko": "알아보기 어려워 죄송합니다. 편하신 말로 적어 주시면 담당자가 확인하겠습니다.",
        "en": "Sorry for the trouble. Write it in your own words and a person will follow up.",
    },
    # hints shown under a question
    "hint.money": {"ko": "예: 30000, 3만원, 3만 5천원", "en": "e.g. 30000, 30,000 won"},
    "hint.date": {"ko": "예: 2022-10-15, 10월 15일", "en": "e.g. 2022-10-15, 15 Oct 2022"},
    "hint.datetime": {
        "ko": "예: 10월 15일 오후 3시, 2022-10-15 15:30",
        "en": "e.g. 15 Oct 2022 3pm, 2022-10-15 15:30",
    },
    "hint.phone": {"ko": "예: 010-1234-5678", "en": "e.g. 010-1234-5678"},
    "hint.multi": {
        "ko": "해당하는 것을 모두 고른 뒤 '완료'를 누르세요.",
        "en": "Choose all that apply, then press 'Done'.",
    },
    "hint.multi.typed": {
        "ko": "해당하는 것의 번호를 모두 적으신 뒤 '완료'라고 적어 주세요.",
        "en": "Type the numbers of all that apply, then type 'done'.",
    },
    "hint.file": {
        "ko": "사진이나 파일을 보내신 뒤 '완료'를 누르세요.",
        "en": "Send photos or files, then press 'Done'.",
    },
    "hint.file.typed": {
        "ko": "사진이나 파일의 경로를 적으신 뒤 '완료'라고 적어 주세요.",
        "en": "Type the paths of photos or files, then type 'done'.",
    },
    # instructions a flow's text names by placeholder ({skip}), worded for the channel
    "say.skip": {"ko": "'건너뛰기'를 눌러 주세요", "en": "press 'Skip'"},
    "say.skip.typed": {"ko": "'건너뛰기'라고 적어 주세요", "en": "type 'skip'"},
    "say.edit_or_submit": {
        "ko": "고칠 항목이 있으면 '수정'을, 모두 맞으면 '제출'을 눌러 주세요",
        "en": "Press 'Edit' to change one, or 'Submit' if everything is right",
    },
    "say.edit_or_submit.typed": {
        "ko": "고칠 항목이 있으면 '수정 2'처럼 번호와 함께, 모두 맞으면 '제출'이라고 적어 주세요",
        "en": "Type 'edit' and its number (edit 2) to change one, or 'submit' if all is right",
    },
    # labels for answers and navigation
    "answer.skipped": {"ko": "(건너뜀)", "en": "(skipped)"},
    "answer.estimate": {"ko": "(어림값)", "en": "(an estimate)"},
    "answer.note": {"ko": "(직접 적음: {note})", "en": "(in own words: {note})"},
    "answer.files": {"ko": "파일 {count}개", "en": "{count} file(s)"},
    "nav.back": {"ko": "◀ 이전", "en": "◀ Back"},
    "nav.skip": {"ko": "건너뛰기", "en": "Skip"},
    "nav.cancel": {"ko": "그만하기", "en": "Cancel"},
    "nav.done": {"ko": "완료", "en": "Done"},
    "nav.continue": {"ko": "다음", "en": "Continue"},
    "nav.submit": {"ko": "제출", "en": "Submit"},
    "nav.edit": {"ko": "수정", "en": "Edit"},
    "cancel.ask": {
        "ko": "접수를 그만두시겠습니까? 지금까지 입력하신 내용은 모두 지워지고 제출되지 않습니다.",
        "en": "Stop the report? Everything you entered so far will be deleted and not filed.",
    },
    "cancel.yes": {"ko": "네, 그만둡니다", "en": "Yes, stop"},
    "cancel.no": {"ko": "아니요, 계속합니다", "en": "No, go on"},
    "cancel.expected": {
        "ko": "그만두시려면 '네', 계속하시려면 '아니요'를 골라 주세요.",
        "en": "Choose 'Yes' to stop the report, or 'No' to go on.",
    },
    "nothing_to_cancel": {
        "ko": "진행 중인 접수가 없습니다. 그만둘 것이 없습니다. /start 로 새로 시작하실 수 있습니다.",
        "en": "You have no open report, so there is nothing to cancel. Send /start to begin one.",
    },
    # words a claimant may type instead of pressing a button, "|"-separated; the button's
    # own label (nav.*) is always understood as well
    "typed.back": {"ko": "이전|뒤로", "en": "back"},
    "typed.skip": {"ko": "건너뛰기|건너뜀", "en": "skip"},
    # "I have none" / "I don't know" at an optional question its own answer cannot read: a
    # skip then, never before (an option labelled 없음 is chosen, a number read first)
    "typed.none": {
        "ko": "없어요|없습니다|없음|모름|몰라요|모르겠어요|모르겠습니다",
        "en": "none|i have none|i don't know",
    },
    "typed.cancel": {"ko": "그만하기|취소", "en": "cancel"},
    "typed.done": {"ko": "완료", "en": "done"},
    "typed.submit": {
        "ko": "제출|제출할게요|제출합니다|제출해요|제출해 주세요|제출하기|네|예|확인|1",
        "en": "submit|submit it|yes|y|ok|1",
    },
    "typed.edit": {"ko": "수정", "en": "edit"},
    "typed.yes": {"ko": "네|예|1", "en": "yes|y|1"},
    "typed.no": {"ko": "아니요|아니오|아니|계속|2", "en": "no|n|2"},
    "typed.show_again": {"ko": "다시 보기|다시보기|전체 보기", "en": "show again|show it again"},
    "typed.quit": {"ko": "종료|나가기", "en": "quit|exit"},
    "typed.mydata": {"ko": "내정보|내 정보", "en": "mydata|my data"},
    "cancelled": {
        "ko": "접수를 그만두었습니다. 입력하신 내용은 제출되지 않았습니다.",
        "en": "You stopped the report. Nothing you entered was filed.",
    },
    "finished": {
        "ko": "이 대화는 이미 끝났습니다.",
        "en": "This conversation has already ended.",
    },
}
