// The workspace's HTTP endpoints, and the banner that says when one refused.

import {$} from "./dom.js";
import {S, page} from "./store.js";

// POST JSON; the answer when ok, else null after showing the error in the toast.
export async function postJson(path, body) {
  let answer;
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body),
    });
    answer = await readAnswer(response);
  } catch (error) {
    toast(`The workspace did not answer (${error.message || error}).`);
    return null;
  } finally {
    page.pollNow();
  }
  if (!answer.ok) {
    toast(answer.error || "The workspace refused that.");
    return null;
  }
  return answer;
}

// Upload one file's raw bytes as the person acting; the Slack file object, or null.
export async function uploadFile(file) {
  const query = `user=${encodeURIComponent(S.me || "")}&filename=${encodeURIComponent(file.name || "file")}`;
  try {
    const response = await fetch(`/ui/upload?${query}`, {
      method: "POST",
      headers: {"Content-Type": file.type || "application/octet-stream"},
      body: file,
    });
    const answer = await readAnswer(response);
    if (answer.ok && answer.file && answer.file.id) return answer.file;
    toast(`Could not upload ${file.name}: ${answer.error || "no file in the answer"}`);
  } catch (error) {
    toast(`Could not upload ${file.name}: ${error.message || error}`);
  }
  return null;
}

async function readAnswer(response) {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      if (!response.ok && parsed.ok === undefined) parsed.ok = false;
      return parsed;
    }
  } catch {
    // not JSON: say what came back
  }
  return {ok: false, error: `${response.status} ${response.statusText || ""} ${text.slice(0, 200)}`.trim()};
}

// ---- toast ----------------------------------------------------------------

let toastTimer = null;

export function toast(message, {kind = "error", ms = 7000} = {}) {
  const box = $("toast");
  box.querySelector(".toast-text").textContent = String(message);
  box.className = kind;
  box.hidden = false;
  requestAnimationFrame(() => box.classList.add("shown"));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, ms);
}

export function hideToast() {
  const box = $("toast");
  box.classList.remove("shown");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.hidden = true;
  }, 300);
}
