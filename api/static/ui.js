// The voting pages: answer with the buttons or with Y / N / S; votes go to the API with the key.
(function () {
  const keyInput = document.getElementById("api-key");
  keyInput.value = sessionStorage.getItem("taxonomy-api-key") || "";
  keyInput.addEventListener("change", () => sessionStorage.setItem("taxonomy-api-key", keyInput.value.trim()));

  const group = document.querySelector(".answers");
  if (!group) return;
  const status = document.getElementById("status");
  let busy = false;

  async function answer(value) {
    if (busy) return;
    const key = keyInput.value.trim();
    if (!key) { status.textContent = "Enter your API key first (top right)."; keyInput.focus(); return; }
    sessionStorage.setItem("taxonomy-api-key", key);
    busy = true;
    const kind = group.dataset.kind;
    const url = kind === "tag" ? `/concepts/${group.dataset.target}/votes` : "/annotation/answers";
    const body = kind === "tag" ? { [group.dataset.questionName]: value }
                                : { task_id: group.dataset.target, answer: value };
    try {
      if (kind === "tag" && value === "skip") { location.href = group.dataset.next; return; }
      const response = await fetch(url, { method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "Authorization": `Bearer ${key}` } });
      const data = await response.json();
      if (!response.ok) { status.textContent = `Not recorded: ${data.error.message}`; busy = false; return; }
      const tally = kind === "tag" ? data[group.dataset.questionName] : data;
      const decision = tally.decision_text ?? { 0: "no", 1: "yes", 2: "undecided" }[tally.decision];
      status.textContent = `Recorded “${value}”: ${tally.yes} yes, ${tally.no} no — decision: ${decision}.`;
      const next = kind === "tag" ? group.dataset.next
                                  : `${group.dataset.next}?annotator=${encodeURIComponent(data.annotator)}`;
      setTimeout(() => { location.href = next; }, 900);
    } catch (error) {
      status.textContent = `Not recorded: ${error}`;
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
