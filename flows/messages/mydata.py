"""What /mydata shows a claimant (PIPA art. 35), in every channel: part of the one catalogue."""

from __future__ import annotations

MYDATA_MESSAGES: dict[str, dict[str, str]] = {
    "mydata.header": {
        "ko": "내 정보: 이 채널에 저장된 내용을 모두 보여 드립니다.",
        "en": "My data: everything stored about you on this channel.",
    },
    "mydata.none": {
        "ko": "이 채널에 저장된 내 정보가 없습니다.",
        "en": "Nothing is stored about you on this channel.",
    },
    "mydata.case": {
        "ko": "■ 접수 {ref} · {day} · {status}",
        "en": "■ Case {ref} · {day} · {status}",
    },
    "mydata.open": {
        "ko": "■ 진행 중인 접수 (마지막 답변 {when})",
        "en": "■ Report in progress (last answer {when})",
    },
    "mydata.files": {"ko": "증빙 파일 {count}개", "en": "{count} evidence file(s)"},
    "mydata.notes": {"ko": "직접 적으신 메모", "en": "Notes in your words"},
    "mydata.consent": {
        "ko": "동의: {when} ({shown_in}, 동의문 버전 {version})",
        "en": "Consent: given {when} (in {shown_in}, text version {version})",
    },
    "mydata.withdrawn": {"ko": "동의 철회: {when}", "en": "Consent withdrawn: {when}"},
    "mydata.no_consent": {"ko": "동의 기록 없음", "en": "No consent on record"},
    "mydata.kept": {
        "ko": "보관: 늦어도 {day}까지 보관한 뒤 개인정보를 파기합니다.",
        "en": "Kept until {day} at the latest; then the personal data is destroyed.",
    },
    "mydata.held": {
        "ko": "법적 보존 조치 중: 조치가 풀릴 때까지 파기하지 않습니다.",
        "en": "On legal hold: kept until the hold is lifted.",
    },
    "mydata.erase_telegram": {
        "ko": "모두 지우려면 /delete 를 보내 주세요. 접수 건수 통계만 남고 개인정보는 삭제됩니다.",
        "en": "To erase it all, send /delete. Only anonymous counts stay.",
    },
    "mydata.erase_other": {
        "ko": "모두 지우려면 개인정보 보호책임자에게 삭제를 요청해 주세요.",
        "en": "To erase it all, ask the privacy officer for erasure.",
    },
    "mydata.status.received": {"ko": "접수됨", "en": "received"},
    "mydata.status.in_review": {"ko": "검토 중", "en": "in review"},
    "mydata.status.reviewed": {"ko": "검토 완료", "en": "reviewed"},
    "mydata.status.duplicate": {"ko": "중복 접수", "en": "duplicate"},
    "mydata.status.unrelated": {"ko": "관련 없음", "en": "unrelated"},
    "mydata.status.rejected": {"ko": "반려", "en": "rejected"},
    "mydata.language.ko": {"ko": "한국어", "en": "Korean"},
    "mydata.language.en": {"ko": "영어", "en": "English"},
}
