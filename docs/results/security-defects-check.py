#!/usr/bin/env python3
"""Runs the security defects found on b2d9cca (roles combining into writes, brute force, file modes, tenant
naming, input gaps, paths, idempotency keeping refusals) against one unpacked Netloom distribution and prints
what it answers. It starts the distribution (bin/start) with extra users and stops it (bin/stop).
usage: security-defects-check.py DIST_DIR LABEL"""
import base64, http.client, json, os, socket, stat, subprocess, sys, time, urllib.request

dist, label = sys.argv[1], sys.argv[2]
ADMIN_PW = "Adm1n-verify-21"
users = {
    "mallory": ("Mall0ry-pw-21", ["netloom-viewer", "netloom-user", "netloom-tenant-green"]),
    "blue": ("Blue-pw-21", ["netloom-user", "netloom-tenant-blue"]),
    "red": ("Red-pw-21", ["netloom-user"]),
    "redowner": ("Redowner-pw-21", ["netloom-user", "netloom-tenant-red"]),
}
with open(os.path.join(dist, "etc/users.properties"), "a") as f:
    for u, (pw, roles) in users.items():
        f.write("\n%s = %s,%s\n" % (u, pw, ",".join(roles)))
env = dict(os.environ, NETLOOM_ADMIN_PASSWORD=ADMIN_PW, NETLOOM_DEFAULT_DRIVER="sim")
subprocess.run([os.path.join(dist, "bin/start")], env=env, check=True)
BASE = "/netloom/api/v1"
users["admin"] = (ADMIN_PW, [])

def req(user, method, path, body=None, headers=None, raw=False):
    c = http.client.HTTPConnection("127.0.0.1", 8181, timeout=30)
    h = {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, users[user][0] if user in users else user)).encode()).decode()}
    if body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    c.putrequest(method, path if raw else BASE + path, skip_accept_encoding=True)
    for k, v in h.items():
        c.putheader(k, v)
    data = None if body is None else json.dumps(body).encode() if not isinstance(body, str) else body.encode()
    if data is not None:
        c.putheader("Content-Length", str(len(data)))
    c.endheaders(data)
    r = c.getresponse()
    text = r.read().decode(errors="replace")
    return r.status, text

deadline = time.time() + 180
while True:
    try:
        s, _ = req("admin", "GET", "/drivers")
        if s == 200:
            break
    except OSError:
        pass
    if time.time() > deadline:
        sys.exit("no API")
    time.sleep(1)

out = []
def check(name, status, text):
    out.append("%s | %s | %s %s" % (label, name, status, text[:90].replace("\n", " ")))

# 1 role combination: viewer+user of green writes into blue's group
s, t = req("blue", "POST", "/security-groups", {"name": "bg"})
gid = json.loads(t)["id"]
s, t = req("mallory", "POST", "/security-groups/%s/rules" % gid, {"direction": "ingress", "protocol": "tcp", "ports": "22"})
check("1 viewer+user writes a rule into another tenant's group", s, t)
# 3 brute force
codes = {}
for i in range(30):
    s, _ = req("blue:wrong%d" % i if False else "blue", "GET", "/drivers", headers={"Authorization": "Basic " + base64.b64encode(("blue:wrong%d" % i).encode()).decode()})
    codes[s] = codes.get(s, 0) + 1
check("3 30 wrong passwords for blue (answers by status)", json.dumps(codes), "")
# 4 file modes
for f in ("etc/users.properties", "data/netloom/model.db"):
    check("4 mode of " + f, oct(stat.S_IMODE(os.stat(os.path.join(dist, f)).st_mode)), "")
# 5 user without a tenant role deletes a port of tenant red
s, t = req("redowner", "POST", "/networks", {"name": "rnet", "cidrs": ["10.200.64.0/20"], "driver": "sim"})
nid = json.loads(t)["id"]
req("redowner", "POST", "/networks/%s/subnets" % nid, {"name": "rs", "cidr": "10.200.64.0/24"})
s, t = req("redowner", "POST", "/ports", {"name": "rp", "network": nid})
pid = json.loads(t)["id"]
s, t = req("red", "DELETE", "/ports/%s" % pid)
check("5 user 'red' without netloom-tenant-red deletes tenant red's port", s, t)
# 6 input gaps
s, t = req("admin", "POST", "/networks", {"name": "everything", "cidrs": ["0.0.0.0/0"], "driver": "sim"})
check("6 network 0.0.0.0/0", s, t)
s, t = req("admin", "POST", "/networks", {"name": "lo", "cidrs": ["127.0.0.0/8"], "driver": "sim"})
check("6 network 127.0.0.0/8", s, t)
s, t = req("admin", "POST", "/security-groups/%s/rules" % gid, {"direction": "ingress", "protocol": "tcp", "ports": "080"})
check("6 port range \"080\"", s, t)
# 7 paths
s, t = req("admin", "GET", BASE + "/networks/..%2fports", raw=True)
check("7 GET /networks/..%2fports", s, t)
s, t = req("admin", "TRACE", BASE + "/networks", raw=True)
check("7 TRACE /networks", s, t)
s, t = req("admin", "GET", BASE + "/" + "x" * 9000, raw=True)
check("7 URL of 9,000 characters", s, t)
# 8 idempotency keeps refusals
s1, t1 = req("admin", "POST", "/networks", '{"name": "idem", "cidrs": ["10.200.80.0/20"], "driver": "sim"', headers={"Idempotency-Key": "verify-21"})
s2, t2 = req("admin", "POST", "/networks", {"name": "idem", "cidrs": ["10.200.80.0/20"], "driver": "sim"}, headers={"Idempotency-Key": "verify-21"})
check("8 malformed keyed POST, then the corrected body under the same key", "%s then %s" % (s1, s2), t2)
print("\n".join(out))
pid_file = None
subprocess.run([os.path.join(dist, "bin/stop")], env=env)
