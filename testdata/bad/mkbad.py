#!/usr/bin/env python3
# mkbad.py - makes the crafted bad inputs of testdata/bad/ that need a
# checksum fixed after the damage (frames with a bad header, profile states
# with bad counts) or bytes a shell makes awkward.  Run from the repository
# root with ./hicard built; README says what each file holds.  The tests
# never run this (python3 is not a test dependency): the files are stored.
import struct, subprocess, json

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF

assert crc32c(b"123456789") == 0xE3069283
D = "testdata/bad/"

def write(name, data):
    with open(D + name, "wb") as f:
        f.write(data)

# ---- CSV -------------------------------------------------------------
write("ragged_short.csv", b"a,b,c\n1,2,3\n4,5\n")
write("ragged_long.csv", b"a,b\n1,2\n3,4,5\n")
write("unterminated.csv", b'a,b\n1,"two\n3,4\n')
write("quote_after.csv", b'a,b\n"x"y,2\n')
write("quote_inside.csv", b'a,b\nx"y,2\n')
write("nul_header.csv", b"a\0,b\n1,2\n")
write("nul_field.csv", b"a,b\n1,2\n3,x\0y\n")
write("invalid_utf8.csv", b"name,n\n\xff\xfe,1\nok,2\n\xc3,3\nok,4\n")
write("empty.csv", b"")
write("bom_only.csv", b"\xef\xbb\xbf")
write("blank_lines.csv", b"\n\r\n\n")
write("bom_header_only.csv", b"\xef\xbb\xbfa,b\n")

# ---- frames ----------------------------------------------------------
small = open("testdata/frames/small.hcb", "rb").read()
hlen = struct.unpack_from("<I", small, 12)[0]
blocks = small[16 + hlen + 4:]          # every block, end block included

def frame(header, body=blocks, version=1):
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    return (b"\x89HCB\r\n\x1a\n" + struct.pack("<II", version, len(h)) + h +
            struct.pack("<I", crc32c(h)) + body)

def end_block(rows, nblocks):
    p = struct.pack("<QQ", rows, nblocks)
    return b"HCBK" + struct.pack("<III", 0, 16, crc32c(p)) + p

def block(rows, payload):
    return b"HCBK" + struct.pack("<III", rows, len(payload), crc32c(payload)) + payload

def hdr(cols):
    return {"format": "hicard-frame", "version": 1, "columns": cols}

write("nested.hcb", frame(b'{"format":"hicard-frame","version":1,"x":' +
                          b"[" * 5000 + b"]" * 5000 + b"}"))
write("header_notjson.hcb", frame(b"hello"))
write("header_array.hcb", frame(b"[1,2]"))
write("header_trailing.hcb", frame(b'{"format":"hicard-frame","version":1,"columns":[]}x'))
write("header_format.hcb", frame({"format": "parquet", "version": 1, "columns": []}))
write("header_nocols.hcb", frame(hdr([])))
write("header_twolabels.hcb", frame(hdr([{"name": "y", "kind": "label"},
                                         {"name": "z", "kind": "label"}])))
write("header_space0.hcb", frame(hdr([{"name": "a", "kind": "cat", "space": 0}])))
write("header_space_big.hcb", frame(hdr([{"name": "a", "kind": "cat", "space": 4294967297}])))
write("header_kind.hcb", frame(hdr([{"name": "a", "kind": "text"}])))
write("header_noname.hcb", frame(hdr([{"name": "", "kind": "num"}])))
write("header_ids.hcb", frame(hdr([{"name": "a", "kind": "cat", "space": 10, "ids": 1025}])))
# Mismatched fields: small.hcb's blocks under a header with one more column.
orig = json.loads(small[16:16 + hlen])
orig["columns"].append({"name": "extra", "kind": "num"})
write("mismatch_cols.hcb", frame(orig))
# Under a header with one column fewer.
orig = json.loads(small[16:16 + hlen])
orig["columns"].pop()
write("mismatch_fewer.hcb", frame(orig))
# A block declaring the largest payload allowed (256 MiB) in a tiny file.
one = hdr([{"name": "a", "kind": "cat", "space": 10}])
write("huge_payload.hcb", frame(one, b"HCBK" + struct.pack("<III", 1, 256 << 20, 0) + b"\0" * 8))
write("payload_over.hcb", frame(one, b"HCBK" + struct.pack("<III", 1, (256 << 20) + 1, 0) + b"\0" * 8))
write("header_len0.hcb", b"\x89HCB\r\n\x1a\n" + struct.pack("<II", 1, 0) + b"\0" * 8)
# A variable-arity column whose counts add up past the payload (valid CRC).
var = hdr([{"name": "t", "kind": "cat", "space": 10, "ids": "var"}])
write("var_counts.hcb", frame(var, block(2, struct.pack("<IIII", 1, 0xFFFFFFFF, 3, 4)) + end_block(2, 1)))
write("var_id.hcb", frame(var, block(2, struct.pack("<IIII", 1, 1, 3, 11)) + end_block(2, 1)))

# ---- profile states --------------------------------------------------
subprocess.run(["./hicard", "profile", "-q", "--sketch-out", "/tmp/mkbad.st",
                "--target", "label", "testdata/profile/small.csv"],
               stdout=subprocess.DEVNULL, check=True)
st = open("/tmp/mkbad.st", "rb").read()
payload = st[20:-4]

def state(p, version=1, magic=b"\x89HCP\r\n\x1a\n"):
    return magic + struct.pack("<IQ", version, len(p)) + p + struct.pack("<I", crc32c(p))

write("state_truncated.st", st[:100])
write("state_flipped.st", st[:60] + bytes([st[60] ^ 0x40]) + st[61:])
write("state_version.st", state(payload, version=2))
write("state_magic.st", state(payload, magic=b"\x89HCF\r\n\x1a\n"))
write("state_trailing.st", st + b"\n")
write("state_empty.st", b"")
write("state_longer.st", st[:12] + struct.pack("<Q", 1 << 40) + st[20:])

# Offsets in the payload (src/profile.c hc_profile_serialize).
o = 4 + 4 + 8 + 8 + 8
nn = struct.unpack_from("<I", payload, o)[0]
o += 4
for _ in range(nn):
    o += 4 + struct.unpack_from("<I", payload, o)[0]
target_at = o
rows_at = o + 8
ncols_at = rows_at + 8 + 8 + 8 + 8 + 1

def patch(p, at, fmt, v):
    return p[:at] + struct.pack(fmt, v) + p[at + struct.calcsize(fmt):]

write("state_ncols.st", state(patch(payload, ncols_at, "<I", 0xFFFFFFFF)))
write("state_rows.st", state(patch(payload, rows_at, "<Q", 0xFFFFFFFFFFFFFFFF)))
write("state_target.st", state(patch(payload, target_at, "<q", -5)))
write("state_hllp.st", state(patch(payload, 4, "<I", 99)))
# The first column's first value count: name, rows, exact flag, count of
# values, then (string, count, ...).
c = ncols_at + 4
c += 4 + struct.unpack_from("<I", payload, c)[0]   # name
col_rows_at = c
c += 8 + 1 + 8                                      # rows, exact, nvalues
c += 4 + struct.unpack_from("<I", payload, c)[0]   # first value
write("state_count.st", state(patch(payload, c, "<Q", 1 << 63)))
write("state_colrows.st", state(patch(payload, col_rows_at, "<Q", 7)))

# ---- models and encode states (found by tests/fuzz: model, encstate) ------
def container(magic, p, version=1):
    return magic + struct.pack("<IQ", version, len(p)) + p + struct.pack("<I", crc32c(p))

def reheader(p, edit):
    """The payload with its JSON header replaced by edit(header)."""
    n = struct.unpack_from("<I", p, 0)[0]
    h = json.loads(p[4:4 + n])
    edit(h)
    t = json.dumps(h, separators=(",", ":")).encode()
    return struct.pack("<I", len(t)) + t + p[4 + n:]

subprocess.run(["./hicard", "train", "--model", "logreg", "--epochs", "1", "--threads", "1",
                "-q", "-o", "/tmp/mkbad.model", "testdata/frames/small.hcb"], check=True)
mf = open("/tmp/mkbad.model", "rb").read()
magic, payload = mf[:8], mf[20:-4]
hlen = struct.unpack_from("<I", payload, 0)[0]
first = 4 + hlen + 1          # the first table's quantisation byte, then floats
write("model_nan.model", container(magic, patch(payload, first, "<f", float("nan"))))
write("model_inf.model", container(magic, patch(payload, first, "<f", float("inf"))))

def width0(h):
    h["tables"][0]["width"] = 0
write("model_width0.model", container(magic, reheader(payload, width0)))

def width2(h):
    h["tables"][0]["width"] = 2
write("model_width.model", container(magic, reheader(payload, width2)))

subprocess.run(["./hicard", "encode", "fit", "--target-encode", "device", "--woe", "city",
                "--target", "click", "-q", "-o", "/tmp/mkbad.state",
                "testdata/encode/train.csv"], check=True)
es = open("/tmp/mkbad.state", "rb").read()
magic, payload = es[:8], es[20:-4]
tlen = struct.unpack_from("<I", payload, 0)[0]
sum_at = 4 + tlen + 8 + 8                 # target name, rows, target rows
smooth_at = sum_at + 8 + 8 + 1            # sum, sum of squares, nonbinary
write("enc_sum.state", container(magic, patch(payload, sum_at, "<d", 1e300)))
write("enc_woe_smooth0.state", container(magic, patch(payload, smooth_at, "<d", 0.0)))
write("enc_nul_target.state", container(magic, payload[:4] + b"\0" + payload[5:]))
