#!/usr/bin/env python3
"""A stand-in Hugging Face hub on 127.0.0.1 for bench/hostile.sh (written apart from the Java FakeHub
of the tests, from huggingface_hub's documented endpoints): serves the files of one model directory
under several repo ids, each misbehaving in its own way.

    hub-mock.py MODEL_DIR PORT_FILE      writes the port it listens on to PORT_FILE, serves until killed

repos: org/ok (a normal repo), org/private (401 without a bearer token), org/missing (404
RepoNotFound), org/gone (model.safetensors listed but 404 EntryNotFound), org/corrupt (the blob's
bytes differ from its sha256 etag), org/stall (sends half of the blob, then nothing for 300 s),
org/silent (the API call gets no answer for 300 s), org/silentcdn (the blob's GET gets no answer).
"""
import hashlib, http.server, json, os, sys, threading, time

model, port_file = sys.argv[1], sys.argv[2]
files = {f: open(os.path.join(model, f), "rb").read() for f in sorted(os.listdir(model))
         if os.path.isfile(os.path.join(model, f))}
COMMIT = hashlib.sha1(b"".join(files.values())).hexdigest()
REPOS = {"ok", "private", "missing", "gone", "corrupt", "stall", "silent", "silentcdn"}
LFS = lambda f: f.endswith(".safetensors")


class Hub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def error(self, status, code=None, message=""):
        body = json.dumps({"error": message}).encode()
        self.send_response(status)
        if code:
            self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def repo(self, parts):
        """(name, rest) for /org/NAME/...; answers the errors every endpoint shares."""
        if len(parts) < 2 or parts[0] != "org" or parts[1] not in REPOS or parts[1] == "missing":
            self.error(404, "RepoNotFound", "Repository not found")
            return None
        name = parts[1]
        if name == "private" and not self.headers.get("Authorization", "").startswith("Bearer "):
            self.error(401, "RepoNotFound", "Invalid username or password.")
            return None
        return name

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?")[0].strip("/").split("/")
        if path[:2] == ["api", "models"]:
            name = self.repo(path[2:])
            if name is None:
                return
            if name == "silent":
                time.sleep(300)
                return
            body = json.dumps({"id": "org/" + name, "sha": COMMIT,
                               "siblings": [{"rfilename": f} for f in files]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path[0] == "cdn":  # /cdn/NAME/FILE: the LFS blob after the redirect
            name, f = path[1], "/".join(path[2:])
            if name == "silentcdn" and self.command == "GET":
                time.sleep(300)
                return
            data = files[f]
            if name == "corrupt":
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            start = 0
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes="):
                start = int(rng[6:].split("-")[0])
            self.send_response(206 if start else 200)
            self.send_header("Content-Length", str(len(data) - start))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            if self.command == "HEAD":
                return
            if name == "stall":
                self.wfile.write(data[start:start + (len(data) - start) // 2])
                self.wfile.flush()
                time.sleep(300)
                return
            self.wfile.write(data[start:])
            return
        # /org/NAME/resolve/REV/FILE
        name = self.repo(path)
        if name is None:
            return
        if len(path) < 5 or path[2] != "resolve":
            self.error(404, None, "not found")
            return
        f = "/".join(path[4:])
        if f not in files or (name == "gone" and LFS(f)):
            self.error(404, "EntryNotFound", f + " does not exist on main")
            return
        data = files[f]
        self.send_response(302 if LFS(f) else 200)
        self.send_header("X-Repo-Commit", COMMIT)
        if LFS(f):
            # to another host, as the hub's CDN redirect is (huggingface_hub's HEAD follows only
            # redirects within the endpoint's host): the same handler on 127.0.0.2
            self.send_header("Location", "http://127.0.0.2:%d/cdn/%s/%s" % (cdn.server_address[1], name, f))
            self.send_header("X-Linked-Etag", '"%s"' % hashlib.sha256(data).hexdigest())
            self.send_header("X-Linked-Size", str(len(data)))
            self.send_header("ETag", '"%s"' % hashlib.sha1(data).hexdigest())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        # a git file: its etag is the git blob sha1
        self.send_header("ETag", '"%s"' % hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest())
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hub)
server.daemon_threads = True
cdn = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Hub)
cdn.daemon_threads = True
threading.Thread(target=cdn.serve_forever, daemon=True).start()
with open(port_file + ".tmp", "w") as p:
    p.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
