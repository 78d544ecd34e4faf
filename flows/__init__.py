"""The interview: flow files, their validation, answer parsing and the engine that runs them."""

from flows.engine import MAX_FAILURES, Interview
from flows.errors import FlowError, FlowProblem, UnknownFlow
from flows.inputs import (
    Back,
    Button,
    Cancel,
    Choose,
    Done,
    Edit,
    Skip,
    Submit,
    SwitchLanguage,
    Text,
    Toggle,
    Upload,
    UserInput,
)
from flows.loader import DEFINITIONS, LoadedFlow, load_flow, load_flows, parse_flow
from flows.messages import message
from flows.prompt import (
    ChooseMany,
    ChooseOne,
    Confirm,
    End,
    Info,
    Outcome,
    Prompt,
    PromptOption,
    Summary,
    SummaryLine,
    TypedText,
    UploadFiles,
)
from flows.schema import Flow
from flows.state import Conversation

__all__ = [
    "DEFINITIONS",
    "MAX_FAILURES",
    "Back",
    "Button",
    "Cancel",
    "Choose",
    "ChooseMany",
    "ChooseOne",
    "Confirm",
    "Conversation",
    "Done",
    "Edit",
    "End",
    "Flow",
    "FlowError",
    "FlowProblem",
    "Info",
    "Interview",
    "LoadedFlow",
    "Outcome",
    "Prompt",
    "PromptOption",
    "Skip",
    "Submit",
    "Summary",
    "SummaryLine",
    "SwitchLanguage",
    "Text",
    "Toggle",
    "TypedText",
    "UnknownFlow",
    "Upload",
    "UploadFiles",
    "UserInput",
    "load_flow",
    "load_flows",
    "message",
    "parse_flow",
]
