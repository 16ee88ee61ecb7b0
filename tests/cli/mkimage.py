#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# Writes a container image by hand from layer directories, as the image
# tests need it without docker: a `docker save` tarball (manifest.json,
# <id>/layer.tar, <id>.json config with history and diff_ids), or an OCI
# image layout (index.json, oci-layout, blobs/sha256/...) as a directory or a
# tar of one. Options break it on purpose for the bad-input tests.
#   mkimage.py FORMAT OUT LAYERDIR... [options]
#   FORMAT: docker | oci-dir | oci-tar
#   --gzip                 OCI layers gzip-compressed
#   --entry N:PATH         an extra empty file PATH (any bytes) in layer N
#   --raw N:FILE           layer N's blob is FILE's bytes as they are
#   --missing N            layer N's blob left out
#   --mismatch N           layer N's blob differs from its digest
#   --loop                 the index names an index that names itself
#   --link-loop            docker: layer 1 is a symbolic link going round
#   mkimage.py --batch FILE  each line of FILE is the arguments of one image
#                            (one Python start for many images)
import argparse, gzip, hashlib, io, json, os, shlex, sys, tarfile


def layer_tar(d, extra):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for root, dirs, files in os.walk(d):
            dirs.sort()
            for name in sorted(dirs) + sorted(files):
                full = os.path.join(root, name)
                arc = os.path.relpath(full, d)
                ti = t.gettarinfo(full, arcname=arc)
                ti.uid = ti.gid = 0
                ti.uname = ti.gname = ""
                ti.mtime = 0
                if ti.isreg():
                    with open(full, "rb") as f:
                        t.addfile(ti, f)
                else:
                    t.addfile(ti)
        for p in extra:
            ti = tarfile.TarInfo(p)
            ti.size = 0
            t.addfile(ti, io.BytesIO(b""))
    return buf.getvalue()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("format", choices=["docker", "oci-dir", "oci-tar"])
    ap.add_argument("out")
    ap.add_argument("layers", nargs="+")
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--entry", action="append", default=[])
    ap.add_argument("--raw", action="append", default=[])
    ap.add_argument("--missing", type=int, action="append", default=[])
    ap.add_argument("--mismatch", type=int, action="append", default=[])
    ap.add_argument("--loop", action="store_true")
    ap.add_argument("--link-loop", action="store_true")
    a = ap.parse_args(argv)
    extra = {}
    for e in a.entry:
        n, p = e.split(":", 1)
        extra.setdefault(int(n), []).append(p)
    raw = {int(e.split(":", 1)[0]): e.split(":", 1)[1] for e in a.raw}

    files = {}  # name in the image -> bytes
    tars, blobs = [], []
    for i, d in enumerate(a.layers, 1):
        if i in raw:
            with open(raw[i], "rb") as f:
                t = f.read()
        else:
            t = layer_tar(d, extra.get(i, []))
        tars.append(t)
        blobs.append(gzip.compress(t, mtime=0) if a.gzip and a.format != "docker" else t)
    history = []
    for i, d in enumerate(a.layers, 1):
        history.append({"created_by": "ENV step=%d" % i, "empty_layer": True})
        history.append({"created_by": "/bin/sh -c #(nop) COPY %s /" % os.path.basename(d)})
    config = {"architecture": "amd64", "os": "linux", "history": history,
              "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(t) for t in tars]}}
    cfg = json.dumps(config).encode()

    if a.format == "docker":
        names = []
        for i, t in enumerate(tars, 1):
            lid = sha(b"layer%d" % i + t)
            names.append(lid + "/layer.tar")
            if i in a.mismatch:
                t = t + b"\0" * 512
            if i not in a.missing:
                files[lid + "/layer.tar"] = t
        cid = sha(cfg)
        files[cid + ".json"] = cfg
        files["manifest.json"] = json.dumps(
            [{"Config": cid + ".json", "RepoTags": ["test:latest"], "Layers": names}]).encode()
        links = {}
        if a.link_loop:
            first = names[0]
            files.pop(first, None)
            links[first] = "../loop/layer.tar"
            links["loop/layer.tar"] = "../" + first
        with tarfile.open(a.out, "w") as out:
            for name in sorted(files):
                ti = tarfile.TarInfo(name)
                ti.size = len(files[name])
                out.addfile(ti, io.BytesIO(files[name]))
            for name, target in links.items():
                ti = tarfile.TarInfo(name)
                ti.type = tarfile.SYMTYPE
                ti.linkname = target
                out.addfile(ti)
        return

    mt = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if a.gzip else "")
    descs = []
    for i, b in enumerate(blobs, 1):
        descs.append({"mediaType": mt, "digest": "sha256:" + sha(b), "size": len(b)})
        if i in a.mismatch:
            b = bytearray(b)
            b[-1] ^= 1
            b = bytes(b)
        if i not in a.missing:
            files["blobs/sha256/" + sha(blobs[i - 1])] = b
    files["blobs/sha256/" + sha(cfg)] = cfg
    man = json.dumps({"schemaVersion": 2,
                      "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:" + sha(cfg), "size": len(cfg)},
                      "layers": descs}).encode()
    files["blobs/sha256/" + sha(man)] = man
    top = {"digest": "sha256:" + sha(man), "size": len(man),
           "mediaType": "application/vnd.oci.image.manifest.v1+json"}
    if a.loop:
        fake = "ab" * 32
        loop = json.dumps({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.index.v1+json",
             "digest": "sha256:" + fake, "size": 10}]}).encode()
        files["blobs/sha256/" + fake] = loop
        top = {"digest": "sha256:" + fake, "size": len(loop),
               "mediaType": "application/vnd.oci.image.index.v1+json"}
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [top]}).encode()
    files["oci-layout"] = b'{"imageLayoutVersion": "1.0.0"}'
    if a.format == "oci-dir":
        for name, b in files.items():
            p = os.path.join(a.out, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(b)
        return
    with tarfile.open(a.out, "w") as out:
        for name in ["oci-layout", "index.json"] + sorted(n for n in files if n.startswith("blobs/")):
            ti = tarfile.TarInfo(name)
            ti.size = len(files[name])
            out.addfile(ti, io.BytesIO(files[name]))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        with open(sys.argv[2]) as lines:
            for line in lines:
                if line.strip():
                    main(shlex.split(line))
    else:
        main(sys.argv[1:])
