"""
Photos of a feedback request: the reporter sends each one as the body of
its own POST /api/v1/feedback/track/{code}/photos (Content-Type image/jpeg,
image/png or image/webp, told by the bytes: a type that does not match
them, or bytes of no image, are refused), at most three, at most 1 MiB
each, only while the request is open.  The officials who handle the
request see them listed with it and download each one with its own
Content-Type, every download audited; no one else (another commune, the
tracking page, Open311) sees them.  A refused photo changes nothing.
"""

import struct
import zlib

from harness import ServerTestCase, main


def png(tag):
    """A real 1x1 PNG whose text chunk carries the tag."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + tag.encode()) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
            + chunk(b"IEND", b""))


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 40


class FeedbackPhotosTest(ServerTestCase):
    server_args = ("--feedback-anon-limit", "0")

    def new_request(self):
        r = self.post("/api/v1/feedback", {"category": "other", "location_code": "00001",
                                           "description": "Rác thải ứ đọng đầu ngõ"})
        self.assertStatus(r, 201)
        return r.json["id"], r.json["tracking_code"]

    def send(self, code, data, ctype):
        return self.request("POST", "/api/v1/feedback/track/%s/photos" % code, raw=data,
                            headers={"Content-Type": ctype})

    def photos(self, fid, user="phucxa"):
        r = self.get("/api/v1/feedback/%d" % fid, as_user=user)
        self.assertStatus(r, 200)
        return r.json["photos"]

    def audit(self, action, fid):
        r = self.get("/api/v1/audit?limit=500", as_user="admin")
        self.assertStatus(r, 200)
        return [a for a in r.json["items"] if a["action"] == action and a["entity_id"] == str(fid)]

    def test_upload_list_download(self):
        fid, code = self.new_request()
        sent = [(png("canary-photo-1"), "image/png"), (JPEG, "image/jpeg"),
                (WEBP, "image/webp; charset=binary")]
        for data, ctype in sent:
            r = self.send(code.lower(), data, ctype)
            self.assertStatus(r, 201)
            self.assertEqual(r.json["media_type"], ctype.split(";")[0])
            self.assertEqual(r.json["bytes"], len(data))
        # A fourth is one too many.
        self.assertError(self.send(code, JPEG, "image/jpeg"), 409, "conflict", field="photo")
        listed = self.photos(fid)
        self.assertEqual([p["media_type"] for p in listed],
                         ["image/png", "image/jpeg", "image/webp"])
        self.assertEqual(len(self.audit("feedback.photo.add", fid)), 3)
        self.assertEqual(self.audit("feedback.photo.read", fid), [])
        for p, (data, _) in zip(listed, sent):
            r = self.get(p["url"], as_user="badinh")
            self.assertEqual(r.status, 200, r.describe())
            self.assertEqual(r.headers["content-type"], p["media_type"])
            self.assertEqual(r.raw, data)
            self.assertIn("no-store", r.headers["cache-control"])
        self.assertEqual(len(self.audit("feedback.photo.read", fid)), 3)
        self.assertEqual([h["action"] for h in self.get("/api/v1/feedback/track/" + code)
                          .json["history"]], ["create", "photo", "photo", "photo"])

    def test_only_the_handlers_see_them(self):
        fid, code = self.new_request()
        self.assertStatus(self.send(code, png("canary-secret"), "image/png"), 201)
        url = self.photos(fid)[0]["url"]
        self.assertError(self.get(url, as_user="trucbach"), 404)     # another commune
        self.assertError(self.get(url, as_user="nguoidan"), 403)     # a citizen
        self.assertError(self.get(url), 401)
        self.assertError(self.get("/api/v1/feedback/%d/photos/999999" % fid, as_user="phucxa"),
                         404)
        # Another request's id with this photo's id: not found.
        other, _ = self.new_request()
        self.assertError(self.get("/api/v1/feedback/%d/photos/%s" % (other, url.rsplit("/", 1)[1]),
                                  as_user="phucxa"), 404)
        for path in ("/api/v1/feedback/track/" + code, "/open311/v2/requests/%d.json" % fid,
                     "/open311/v2/requests.json", "/api/v1/feedback?limit=500"):
            r = self.get(path, as_user="phucxa" if "limit" in path else None)
            self.assertStatus(r, 200)
            self.assertNotIn("canary-secret", r.raw.decode("utf-8", "replace"))
            self.assertNotIn("/photos/", r.raw.decode("utf-8", "replace"), path)
        self.assertEqual(len(self.audit("feedback.photo.read", fid)), 0)

    def test_refused_photos_change_nothing(self):
        fid, code = self.new_request()
        cases = [
            (b"GIF89a" + b"\x00" * 40, "image/gif", 415),        # not a type we take
            (b"%PDF-1.7" + b"\x00" * 40, "image/jpeg", 415),     # declared JPEG, no image
            (png("x"), "image/jpeg", 415),                       # a PNG declared as JPEG
            (JPEG, "application/octet-stream", 415),
            (b"", "image/png", 422),
            (b"\xff\xd8\xff" + b"\x00" * (1 << 20), "image/jpeg", 413),   # 1 MiB + 3 bytes
        ]
        for data, ctype, status in cases:
            r = self.send(code, data, ctype)
            # (413 comes from the transport's body cap, before any field is read.)
            self.assertError(r, status, field="photo" if status != 413 else None, msg=ctype)
        self.assertEqual(self.photos(fid), [])
        self.assertEqual(self.audit("feedback.photo.add", fid), [])
        self.assertError(self.send("AAAAAAAAAAAA", JPEG, "image/jpeg"), 404)
        # Exactly 1 MiB is taken.
        big = b"\xff\xd8\xff" + b"\x00" * ((1 << 20) - 3)
        self.assertStatus(self.send(code, big, "image/jpeg"), 201)
        # Answered: no more photos.
        p = "/api/v1/feedback/%d/" % fid
        self.assertStatus(self.post(p + "acknowledge", {}, as_user="phucxa"), 200)
        self.assertStatus(self.post(p + "answer", {"answer": "Đã thu gom"}, as_user="phucxa"), 200)
        self.assertError(self.send(code, JPEG, "image/jpeg"), 409, field="photo")
        self.assertEqual(len(self.photos(fid)), 1)


if __name__ == "__main__":
    main()
