#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""kfp_backend.py PORT TOKEN: a small stateful stand-in for the KFP API server (v2beta1), for the
client tests. It sits behind Prism's validating proxy, which checks every answer against the
official API documents, so it answers as the real server does: proto field names, fields holding
default values left out, int64 values as strings, healthz without auth, errors as google.rpc.Status
with the HTTP status the gateway maps them to.

Runs advance one state per read: PENDING, RUNNING (tasks running), then SUCCEEDED, or FAILED when
the parameter `fail` is true. A run whose name starts with `flaky` answers 503 to its first two
reads; one whose name starts with `deep` comes back with a pipeline spec nested 400 levels deep.
Run ids starting with `broken` answer 500. Everything else but healthz needs
`authorization: Bearer TOKEN`. It serves until killed, and at most 15 minutes.
"""
import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

PORT, TOKEN = int(sys.argv[1]), sys.argv[2]
API = "/apis/v2beta1"
NOW = "2026-01-05T10:00:00Z"
LOCK = threading.Lock()
experiments, pipelines, versions, runs, recurring = {}, {}, {}, {}, {}
reads = {}


class Fail(Exception):
    # gRPC code -> HTTP status, as grpc-gateway maps them.
    HTTP = {3: 400, 5: 404, 6: 409, 9: 400, 13: 500, 14: 503, 16: 401}

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def clean(value):
    """Leaves out what protojson leaves out: empty strings, zeros, false, empty lists and maps."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = v if k in ("pipeline_spec", "parameters") else clean(v)
            if v is None or v is False or (not isinstance(v, bool) and v in ("", 0, [], {})):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def new_id():
    return str(uuid.uuid4())


def page(items, query, key):
    """Paging as the server does it: an opaque token, total_size of the whole query."""
    size = int(query.get("page_size", ["0"])[0] or 0) or 10
    start = int(query.get("page_token", ["0"])[0] or 0)
    chunk = items[start:start + size]
    out = {key: chunk, "total_size": len(items)}
    if start + size < len(items):
        out["next_page_token"] = str(start + size)
    return out


def matches(obj, query):
    text = query.get("filter", [""])[0]
    if not text:
        return True
    for p in json.loads(text).get("predicates", []):
        want = p.get("string_value", p.get("stringValue"))
        if p.get("operation") not in ("EQUALS", 1) or obj.get(p.get("key")) != want:
            return False
    return True


def in_namespace(obj, query):
    ns = query.get("namespace", [""])[0]
    return not ns or obj.get("namespace", "") == ns


def task_names(spec):
    spec = spec.get("pipeline_spec", spec) if isinstance(spec, dict) else {}
    return sorted(spec.get("root", {}).get("dag", {}).get("tasks", {}).keys())


def advance(run):
    state = run["state"]
    failing = run.get("runtime_config", {}).get("parameters", {}).get("fail") is True
    nxt = {"PENDING": "RUNNING", "RUNNING": "FAILED" if failing else "SUCCEEDED",
           "CANCELING": "CANCELED"}.get(state)
    if not nxt:
        return
    run["state"] = nxt
    run["state_history"].append({"update_time": NOW, "state": nxt})
    tasks = run["run_details"]["task_details"]
    for i, t in enumerate(tasks):
        if nxt == "RUNNING":
            t["state"] = "RUNNING"
        elif nxt == "FAILED":
            t["state"] = "FAILED" if i == len(tasks) - 1 else "SUCCEEDED"
        else:
            t["state"] = nxt
    if nxt in ("SUCCEEDED", "FAILED", "CANCELED"):
        run["finished_at"] = NOW
    if nxt == "FAILED":
        run["error"] = {"code": 2, "message": "task %s failed" % (tasks[-1]["display_name"]
                                                                   if tasks else "main")}


def multipart(handler, body):
    ctype = handler.headers.get("content-type", "")
    if "boundary=" not in ctype:
        raise Fail(3, "the pipeline must be uploaded as multipart/form-data")
    boundary = ctype.split("boundary=", 1)[1].strip('"').encode()
    for part in body.split(b"--" + boundary):
        head, _, data = part.partition(b"\r\n\r\n")
        if b'name="uploadfile"' in head:
            return data.rsplit(b"\r\n", 1)[0].decode()
    raise Fail(3, "no uploadfile part")


def route(handler, method, path, query, body):
    if path == "/healthz":
        return {"pipeline_store": "database"}
    auth = handler.headers.get("authorization", "")
    if auth != "Bearer " + TOKEN:
        # Some gateways echo what they refused; the client must not pass that on.
        raise Fail(16, "Unauthenticated: the request has no valid token (got %r)" % auth)
    parts = path.strip("/").split("/")
    head = parts[0]
    rest = "/".join(parts[1:])
    action = None
    if ":" in rest:
        rest, action = rest.split(":", 1)
    if head == "experiments":
        if not rest:
            if method == "POST":
                e = json.loads(body)
                if any(x["display_name"] == e.get("display_name") for x in experiments.values()):
                    raise Fail(6, "an experiment named %s exists" % e.get("display_name"))
                e.update(experiment_id=new_id(), created_at=NOW, storage_state="AVAILABLE")
                experiments[e["experiment_id"]] = e
                return e
            items = [e for e in experiments.values() if matches(e, query) and in_namespace(e, query)]
            return page(items, query, "experiments")
        e = experiments.get(rest) or fail_not_found("experiment", rest)
        if action in ("archive", "unarchive"):
            e["storage_state"] = "ARCHIVED" if action == "archive" else "AVAILABLE"
            return {}
        if method == "DELETE":
            del experiments[rest]
            return {}
        return e
    if head == "pipelines":
        if rest in ("upload", "upload_version"):
            spec_text = multipart(handler, body)
            if "pipelineInfo" not in spec_text:
                raise Fail(3, "the file is not a pipeline spec")
            q = {k: v[0] for k, v in query.items()}
            if rest == "upload":
                if any(p["name"] == q.get("name") for p in pipelines.values()):
                    raise Fail(6, "a pipeline named %s exists" % q.get("name"))
                p = {"pipeline_id": new_id(), "name": q.get("name", ""),
                     "display_name": q.get("display_name") or q.get("name", ""),
                     "description": q.get("description", ""), "created_at": NOW,
                     "namespace": q.get("namespace", "")}
                pipelines[p["pipeline_id"]] = p
                add_version(p["pipeline_id"], p["name"], spec_text)
                return p
            pid = q.get("pipelineid", "")
            pipelines.get(pid) or fail_not_found("pipeline", pid)
            return add_version(pid, q.get("name", ""), spec_text, q.get("description", ""))
        if not rest:
            items = [p for p in pipelines.values() if matches(p, query) and in_namespace(p, query)]
            return page(items, query, "pipelines")
        sub = rest.split("/")
        p = pipelines.get(sub[0]) or fail_not_found("pipeline", sub[0])
        if len(sub) == 1:
            if method == "DELETE":
                mine = [k for k, v in versions.items() if v["pipeline_id"] == sub[0]]
                if mine and query.get("cascade", [""])[0] != "true":
                    raise Fail(9, "the pipeline has versions; delete them or cascade")
                for k in mine:
                    del versions[k]
                del pipelines[sub[0]]
                return {}
            return p
        if len(sub) == 2:
            items = [v for v in versions.values() if v["pipeline_id"] == sub[0]]
            return page(items, query, "pipeline_versions")
        v = versions.get(sub[2])
        if not v or v["pipeline_id"] != sub[0]:
            fail_not_found("pipeline version", sub[2])
        if method == "DELETE":
            del versions[sub[2]]
            return {}
        return v
    if head == "runs":
        if not rest:
            if method == "POST":
                r = json.loads(body)
                if not r.get("pipeline_spec") and not r.get("pipeline_version_reference"):
                    raise Fail(3, "a run needs a pipeline spec or a pipeline version")
                spec = r.get("pipeline_spec") or {}
                ref = r.get("pipeline_version_reference")
                if ref:
                    pipelines.get(ref["pipeline_id"]) or fail_not_found("pipeline",
                                                                        ref["pipeline_id"])
                    if not ref.get("pipeline_version_id"):
                        ref["pipeline_version_id"] = latest_version(ref["pipeline_id"])
                    spec = json.loads(versions[ref["pipeline_version_id"]]["_spec"])
                    r["pipeline_spec"] = None
                r.update(run_id=new_id(), state="PENDING", created_at=NOW, scheduled_at=NOW,
                         storage_state="AVAILABLE",
                         experiment_id=r.get("experiment_id") or default_experiment(),
                         state_history=[{"update_time": NOW, "state": "PENDING"}],
                         run_details={"task_details": [
                             {"run_id": "", "task_id": new_id(), "display_name": t,
                              "state": "PENDING", "create_time": NOW}
                             for t in task_names(spec)]})
                for t in r["run_details"]["task_details"]:
                    t["run_id"] = r["run_id"]
                if r["display_name"].startswith("deep"):
                    for _ in range(400):
                        spec = {"nested": spec}
                    r["pipeline_spec"] = spec
                runs[r["run_id"]] = r
                return r
            items = [r for r in runs.values()
                     if (not query.get("experiment_id") or
                         r["experiment_id"] == query["experiment_id"][0]) and matches(r, query)]
            return page(items, query, "runs")
        if rest.startswith("broken"):
            raise Fail(13, "internal error: the database is unreachable")
        r = runs.get(rest) or fail_not_found("run", rest)
        if action == "terminate":
            if r["state"] in ("PENDING", "RUNNING"):
                r["state"] = "CANCELING"
            return {}
        if action == "retry":
            if r["state"] != "FAILED":
                raise Fail(9, "only a failed run can be retried; the run is " + r["state"])
            r["state"] = "RUNNING"
            r["runtime_config"].setdefault("parameters", {})["fail"] = False
            r.pop("error", None)
            r.pop("finished_at", None)
            return {}
        if action in ("archive", "unarchive"):
            r["storage_state"] = "ARCHIVED" if action == "archive" else "AVAILABLE"
            return {}
        if method == "DELETE":
            del runs[rest]
            return {}
        n = reads[rest] = reads.get(rest, 0) + 1
        if r["display_name"].startswith("flaky") and n <= 2:
            raise Fail(14, "the server is starting")
        if n > 1:
            advance(r)
        return r
    if head == "recurringruns":
        if not rest:
            if method == "POST":
                r = json.loads(body)
                trigger = r.get("trigger", {})
                if ("cron_schedule" in trigger) == ("periodic_schedule" in trigger):
                    raise Fail(3, "a recurring run needs one trigger")
                if not 1 <= int(r.get("max_concurrency", "0")) <= 10:
                    raise Fail(3, "max_concurrency must be between 1 and 10")
                r.update(recurring_run_id=new_id(), created_at=NOW, updated_at=NOW,
                         status="ENABLED" if r.get("mode") == "ENABLE" else "DISABLED",
                         experiment_id=r.get("experiment_id") or default_experiment())
                recurring[r["recurring_run_id"]] = r
                return r
            items = [r for r in recurring.values()
                     if not query.get("experiment_id") or
                     r["experiment_id"] == query["experiment_id"][0]]
            return page(items, query, "recurringRuns")
        r = recurring.get(rest) or fail_not_found("recurring run", rest)
        if action in ("enable", "disable"):
            r["status"] = "ENABLED" if action == "enable" else "DISABLED"
            r["mode"] = "ENABLE" if action == "enable" else "DISABLE"
            return {}
        if method == "DELETE":
            del recurring[rest]
            return {}
        return r
    raise Fail(5, "no such API: " + path)


def fail_not_found(what, key):
    raise Fail(5, "%s %s not found" % (what, key))


def add_version(pid, name, spec_text, description=""):
    import yaml  # PyYAML: the test backend reads the uploaded IR as the real server does
    docs = [d for d in yaml.safe_load_all(spec_text) if d]
    spec = docs[0] if len(docs) == 1 else {"pipeline_spec": docs[0], "platform_spec": docs[1]}
    v = {"pipeline_version_id": new_id(), "pipeline_id": pid, "name": name, "display_name": name,
         "description": description, "created_at": NOW, "_spec": json.dumps(spec)}
    versions[v["pipeline_version_id"]] = v
    return v


def latest_version(pid):
    mine = [k for k, v in versions.items() if v["pipeline_id"] == pid]
    if not mine:
        raise Fail(9, "the pipeline has no version")
    return mine[-1]


def default_experiment():
    for e in experiments.values():
        if e["display_name"] == "Default":
            return e["experiment_id"]
    e = {"experiment_id": new_id(), "display_name": "Default", "created_at": NOW,
         "storage_state": "AVAILABLE"}
    experiments[e["experiment_id"]] = e
    return e["experiment_id"]


def public(obj):
    if isinstance(obj, dict):
        return {k: public(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [public(v) for v in obj]
    return obj


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self, method):
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        status, out = 200, {}
        try:
            if not url.path.startswith(API):
                raise Fail(5, "not found")
            with LOCK:
                out = route(self, method, unquote(url.path[len(API):]), parse_qs(url.query),
                            body if url.path.endswith(("upload", "upload_version")) else
                            body.decode() or "{}")
                out = clean(public(out))
        except Fail as f:
            status, out = Fail.HTTP.get(f.code, 500), {"code": f.code, "message": f.message}
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
threading.Timer(900, server.shutdown).start()
server.serve_forever()
