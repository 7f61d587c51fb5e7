// The voting pages: answer with the buttons or with Y / N / S; votes go to the API with the key.
// The review page: accept (A) or reject (R) the link whose form has the focus.
const keyInput = document.getElementById("api-key");
keyInput.value = sessionStorage.getItem("taxonomy-api-key") || "";
keyInput.addEventListener("change", () => sessionStorage.setItem("taxonomy-api-key", keyInput.value.trim()));

function withAnnotator(url, annotator) {
  return `${url}${url.includes("?") ? "&" : "?"}annotator=${encodeURIComponent(annotator)}`;
}

async function post(url, body) {
  const key = keyInput.value.trim();
  if (!key) { keyInput.focus(); throw new Error("enter your API key first (top right)"); }
  sessionStorage.setItem("taxonomy-api-key", key);
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "Authorization": `Bearer ${key}` } });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error.message);
  return data;
}

(function () {
  const forms = document.querySelectorAll(".review-item");
  if (!forms.length) return;

  async function decide(form, action) {
    const item = form.dataset.item;
    const status = form.querySelector(".review-status");
    const chosen = form.querySelector(`input[name="choice-${item}"]:checked`).value;
    let body = {};
    if (action === "reject") body = {};
    else if (chosen === "other") {
      const id = form.querySelector(`input[name="other-${item}"]`).value.trim();
      const kind = form.querySelector(`select[name="other-kind-${item}"]`).value;
      if (!id) { status.textContent = "Type the concept id first."; return; }
      body = kind === "same" ? { same: id } : { under: [id] };
    } else if (chosen !== "proposal") {
      const [kind, id] = chosen.split(":");
      body = kind === "same" ? { same: id } : { under: [id] };
    }
    try {
      const data = await post(`/review/${item}/${action}`, body);
      const outcome = data.outcome;
      status.textContent = data.status === "accepted"
        ? `Accepted: ${outcome.decision} ${outcome.concept}.` : "Rejected.";
      form.querySelectorAll("button, input, select").forEach((e) => { e.disabled = true; });
      form.classList.add("decided");
      const next = [...forms].find((f) => !f.classList.contains("decided"));
      if (next) next.querySelector("input").focus();
    } catch (error) {
      status.textContent = `Not recorded: ${error.message}`;
    }
  }

  forms.forEach((form) => {
    form.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => decide(form, b.dataset.action)));
    form.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLInputElement && event.target.type === "text") return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const action = { a: "accept", r: "reject" }[event.key.toLowerCase()];
      if (action && !form.classList.contains("decided")) { event.preventDefault(); decide(form, action); }
    });
  });
  forms[0].querySelector("input").focus();
})();

(function () {
  const group = document.querySelector(".answers");
  if (!group) return;
  const status = document.getElementById("status");
  let busy = false;

  async function answer(value) {
    if (busy) return;
    if (!keyInput.value.trim()) { status.textContent = "Enter your API key first (top right)."; keyInput.focus(); return; }
    busy = true;
    const kind = group.dataset.kind;
    const url = kind === "tag" ? `/concepts/${group.dataset.target}/votes` : "/annotation/answers";
    const body = kind === "tag" ? { [group.dataset.questionName]: value }
                                : { task_id: group.dataset.target, answer: value };
    try {
      if (kind === "tag" && value === "skip") { location.href = group.dataset.next; return; }
      const data = await post(url, body);
      const tally = kind === "tag" ? data[group.dataset.questionName] : data;
      const decision = tally.decision_text ?? { 0: "no", 1: "yes", 2: "undecided" }[tally.decision];
      status.textContent = `Recorded “${value}”: ${tally.yes} yes, ${tally.no} no — decision: ${decision}.`;
      const queue = kind === "answer" || group.dataset.next.startsWith("/ui/tag?");  // the queue skips your own
      const next = queue ? withAnnotator(group.dataset.next, data.annotator) : group.dataset.next;
      setTimeout(() => { location.href = next; }, 900);
    } catch (error) {
      status.textContent = `Not recorded: ${error.message}`;
      busy = false;
    }
  }

  group.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => answer(b.dataset.answer)));
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
    const value = { y: "yes", n: "no", s: "skip" }[event.key.toLowerCase()];
    if (value) { event.preventDefault(); answer(value); }
  });
  group.querySelector("button").focus();
})();

// The grid page: click or Space toggles an image (selected: it shows the thing), arrows move,
// A selects or clears all, Enter on the submit button (or S) sends every image at once.
(function () {
  const grid = document.querySelector(".grid");
  if (!grid) return;
  const tiles = [...grid.querySelectorAll("button.tile")];
  const status = document.getElementById("status");
  const submit = document.getElementById("submit");
  let busy = false;

  function toggle(tile) { tile.setAttribute("aria-pressed", tile.getAttribute("aria-pressed") === "true" ? "false" : "true"); }
  function count() { return tiles.filter((t) => t.getAttribute("aria-pressed") === "true").length; }
  function update() { submit.textContent = `Submit: ${count()} yes, ${tiles.length - count()} no`; }

  async function send() {
    if (busy) return;
    busy = true;
    const answers = tiles.map((t) => ({ task_id: t.dataset.task, answer: t.getAttribute("aria-pressed") === "true" ? "yes" : "no" }));
    try {
      const data = await post("/annotation/answers/batch", { answers });
      status.textContent = `Recorded ${data.answers} answers: ${data.labels} labels so far, ${data.pending} pending.`;
      setTimeout(() => { location.href = withAnnotator("/ui/annotate/grid", data.annotator); }, 600);
    } catch (error) {
      status.textContent = `Not recorded: ${error.message}`;
      busy = false;
    }
  }

  tiles.forEach((tile, i) => {
    tile.addEventListener("click", () => { toggle(tile); update(); });
    tile.addEventListener("keydown", (event) => {
      const columns = Math.max(1, Math.round(grid.clientWidth / tile.offsetWidth));
      const move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key];
      if (move !== undefined) {
        event.preventDefault();
        tiles[Math.min(tiles.length - 1, Math.max(0, i + move))].focus();
      }
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "a") {
      event.preventDefault();
      const all = count() < tiles.length;
      tiles.forEach((t) => t.setAttribute("aria-pressed", all ? "true" : "false"));
      update();
    } else if (key === "s") { event.preventDefault(); send(); }
  });
  submit.addEventListener("click", send);
  update();
  tiles[0].focus();
})();
