// complaintbot web chat: progressive enhancement; every chat form works without this file.
// With it: answers go by fetch and the page is swapped in place (no reload, the place kept),
// the focus moves to each new question, arrow keys move within an option group, and a file
// over the size limit is refused before it is sent.
"use strict";

(() => {
  const focusQuestion = () => {
    const question = document.getElementById("question");
    if (question) question.focus();
  };

  const tooLarge = (form) => {
    const input = form.querySelector("input[type=file][data-max-bytes]");
    if (!input || !input.files || !input.files[0]) return false;
    if (input.files[0].size <= Number(input.dataset.maxBytes)) return false;
    const error = document.getElementById("answer-error");
    if (error) error.textContent = input.dataset.tooLarge;
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return true;
  };

  const swap = (html) => {
    const next = new DOMParser().parseFromString(html, "text/html");
    const fresh = next.getElementById("chat");
    const current = document.getElementById("chat");
    if (!fresh || !current) return false;
    document.documentElement.lang = next.documentElement.lang;
    document.title = next.title;
    const heading = document.querySelector("main h1");
    const freshHeading = next.querySelector("main h1");
    if (heading && freshHeading) heading.textContent = freshHeading.textContent;
    current.replaceWith(document.adoptNode(fresh));
    return true;
  };

  // The same question again (a tick, an attached file, an error): keep the claimant's place,
  // on the control they used (or the field with the error); a new question takes the focus.
  const placeFocus = (before, pressed) => {
    const question = document.getElementById("question");
    if (!question || question.textContent !== before) {
      focusQuestion();
      return;
    }
    const again =
      (pressed && pressed !== "text" && document.querySelector(`#chat button[value="${pressed}"]`)) ||
      document.querySelector("#chat [aria-invalid=true]") ||
      document.getElementById("answer") ||
      question;
    again.focus();
  };

  const send = async (form, submitter) => {
    const question = document.getElementById("question");
    const before = question ? question.textContent : null;
    const pressed = submitter ? submitter.value : null;
    const body = new FormData(form, submitter);
    // The header asks for the next page in the answer itself (one request, no redirect).
    const response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Chat-Fetch": "1" },
    });
    const page =
      response.headers.get("X-Chat-Page") === "1" ||
      (response.redirected && new URL(response.url).pathname === "/chat");
    // A refusal drawn as a chat page (429: too many requests) is swapped in with its words;
    // one that is not (a console error page) leaves for the current question.
    const refusal = !response.ok && (response.headers.get("Content-Type") || "").startsWith("text/html");
    if (!(page || refusal) || !swap(await response.text())) {
      window.location.assign(response.redirected ? response.url : "/chat");
      return;
    }
    enhance();
    placeFocus(before, pressed);
  };

  const enhance = () => {
    const chat = document.getElementById("chat");
    if (!chat) return;
    for (const form of chat.querySelectorAll("form")) {
      const action = form.getAttribute("action") || "";
      if (!action.startsWith("/chat/answer") && !action.startsWith("/chat/upload")) continue;
      form.addEventListener("submit", (event) => {
        if (tooLarge(form)) {
          event.preventDefault();
          return;
        }
        event.preventDefault();
        send(form, event.submitter).catch(() => window.location.assign("/chat"));
      });
    }
    for (const group of chat.querySelectorAll(".options")) {
      group.addEventListener("keydown", (event) => {
        const keys = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
        if (!(event.key in keys)) return;
        const buttons = [...group.querySelectorAll("button")];
        const at = buttons.indexOf(document.activeElement);
        if (at < 0) return;
        event.preventDefault();
        buttons[(at + keys[event.key] + buttons.length) % buttons.length].focus();
      });
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    enhance();
    const chat = document.getElementById("chat");
    if (chat && chat.dataset.focus === "question") focusQuestion();
  });
})();
