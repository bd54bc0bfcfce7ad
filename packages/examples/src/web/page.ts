/**
 * The gateway's page: asks `/users/` for the names in the form and lists each user as its line of
 * newline-delimited JSON arrives (fetch + a ReadableStream reader), not when the response ends.
 */
export const usersPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tsgrpc users</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem}li{margin:.25rem 0}.error{color:#b00}</style>
</head>
<body>
<h1>Users</h1>
<form id="form"><input id="names" value="alexa christie" aria-label="names"> <button>Look up</button></form>
<ul id="users"></ul>
<p id="status" role="status"></p>
<script type="module">
const list = document.getElementById("users");
const status = document.getElementById("status");
const item = (text, className) => {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  list.append(li);
};
async function load(names) {
  list.replaceChildren();
  status.textContent = "loading…";
  const query = new URLSearchParams(names.map((name) => ["name", name]));
  const response = await fetch("/users/?" + query);
  if (!response.ok) {
    const error = await response.json();
    status.textContent = "";
    item("error " + response.status + ": " + error.message, "error");
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split("\\n");
    buffered = lines.pop();
    for (const line of lines.filter(Boolean)) {
      const message = JSON.parse(line);
      if (message.error) item("error: " + message.error.message, "error");
      else item(message.user.username + " (id " + message.user.userId + ")");
    }
  }
  status.textContent = "done";
}
document.getElementById("form").addEventListener("submit", (event) => {
  event.preventDefault();
  load(document.getElementById("names").value.split(/\\s+/).filter(Boolean));
});
load(document.getElementById("names").value.split(/\\s+/).filter(Boolean));
</script>
</body>
</html>
`;
