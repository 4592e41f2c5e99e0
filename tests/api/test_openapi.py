#!/usr/bin/env python3
"""
GET /api/v1/openapi.json: the OpenAPI 3.1 document of the API.

Readings of docs/api.md this file relies on:
- The document is public, needs no database and is a kept public read (ETag,
  304).  It is built from the routes table the server dispatches, which
  `thichung routes --json` prints: every row is an operation (its handler's
  name the operationId), every {name} of a pattern a required path
  parameter, a signed-in route needs the bearer token or the session cookie,
  a public one may be called without either, the body column gives the
  request body's media types, and every error is the Error schema, whose
  codes are the error table's slugs.
- It validates with openapi-spec-validator (the machine's Python has it;
  it checks the document against the OpenAPI 3.1 schema and the rules the
  schema cannot say, such as path parameters being declared).
"""

import copy
import json
import re

from harness import ServerTestCase, cli, main

try:
    from openapi_spec_validator import OpenAPIV31SpecValidator
except ImportError as e:   # a missing validator fails the suite: it is not optional
    raise SystemExit("test_openapi needs openapi-spec-validator (python3): %s" % e)

BODY_MEDIA = {"none": None, "json": ["application/json"], "json?": ["application/json"],
              "csv": ["text/csv"], "json|csv": ["application/json", "text/csv"],
              "form": ["application/x-www-form-urlencoded"],
              "bytes": ["application/octet-stream"]}


def errors_of(doc):
    return [str(e.message) for e in OpenAPIV31SpecValidator(doc).iter_errors()]


class OpenApiTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rc, out, err = cli("routes", "--json")
        assert rc == 0, err
        cls.routes = json.loads(out)
        r = cls.server.request("GET", "/api/v1/openapi.json")
        assert r.status == 200, r.describe()
        cls.doc = r.json

    def op(self, route):
        item = self.doc["paths"].get(route["pattern"])
        self.assertIsNotNone(item, "route %s missing from the document" % route["pattern"])
        op = item.get(route["method"].lower())
        self.assertIsNotNone(op, "%s %s missing" % (route["method"], route["pattern"]))
        return op

    def test_validates(self):
        self.assertEqual(self.doc["openapi"], "3.1.0")
        self.assertEqual(errors_of(self.doc), [])

    def test_validator_rejects_a_broken_document(self):
        # The check above means something: the same validator refuses a
        # document with an undeclared path parameter or a parameter in a
        # place OpenAPI 3.1 has not.
        bad = copy.deepcopy(self.doc)
        del bad["paths"]["/api/v1/cases/{id}"]["get"]["parameters"]
        self.assertNotEqual(errors_of(bad), [])
        bad = copy.deepcopy(self.doc)
        bad["paths"]["/api/v1/cases/{id}"]["get"]["parameters"][0]["in"] = "body"
        self.assertNotEqual(errors_of(bad), [])

    def test_every_route_and_nothing_else(self):
        want = {(r["method"].lower(), r["pattern"]) for r in self.routes}
        have = {(m, p) for p, item in self.doc["paths"].items() for m in item
                if m in ("get", "put", "post", "patch", "delete")}
        self.assertEqual(have, want)
        self.assertIn(("get", "/api/v1/openapi.json"), have)
        ids = [op["operationId"] for item in self.doc["paths"].values() for op in item.values()]
        self.assertEqual(len(ids), len(set(ids)), "operationIds are unique")

    def test_path_parameters(self):
        for route in self.routes:
            names = re.findall(r"\{([^}]+)\}", route["pattern"])
            params = self.op(route)["parameters"]
            path = [p for p in params if p["in"] == "path"]
            self.assertEqual([p["name"] for p in path], names, route["pattern"])
            for p in path:
                self.assertTrue(p["required"])
            # Writes, and writes alone, take an Idempotency-Key.
            headers = [p["name"] for p in params if p["in"] == "header"]
            self.assertEqual(headers, [] if route["method"] == "GET" else ["Idempotency-Key"],
                             route["pattern"])
            query = [p["name"] for p in params if p["in"] == "query"]
            self.assertEqual(len(params), len(path) + len(headers) + len(query))

    def test_list_files(self):
        """Lists the web offers as Excel files take ?format= (json, csv, xlsx)."""
        files = {"api_inspections_list", "api_emulation_list", "api_emulation_rankings",
                 "api_directive_progress", "api_unit_inbox", "api_unit_duty_get",
                 "api_unit_levels", "api_unit_weekly", "api_levels_changes",
                 "api_decisions_public"}
        seen = set()
        for route in self.routes:
            op = self.op(route)
            query = [p for p in op["parameters"] if p["in"] == "query"]
            if op["operationId"] not in files:
                self.assertEqual(query, [], route["pattern"])
                continue
            seen.add(op["operationId"])
            self.assertEqual([(p["name"], p["schema"]["enum"]) for p in query],
                             [("format", ["json", "csv", "xlsx"])], route["pattern"])
            self.assertIn("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          op["responses"]["2XX"]["content"])
        self.assertEqual(seen, files)

    def test_security_follows_access(self):
        for route in self.routes:
            sec = self.op(route)["security"]
            if route["apikey"]:
                self.assertEqual(sec, [{"bearer": []}, {"cookie": []}, {"apikey": []}],
                                 route["pattern"])
            elif route["login"]:
                self.assertEqual(sec, [{"bearer": []}, {"cookie": []}], route["pattern"])
            elif route["database"]:
                self.assertEqual(sec, [{}, {"bearer": []}, {"cookie": []}], route["pattern"])
            else:
                self.assertEqual(sec, [], route["pattern"])
        schemes = self.doc["components"]["securitySchemes"]
        self.assertEqual(schemes["bearer"], {"type": "http", "scheme": "bearer",
                                             "description": schemes["bearer"]["description"]})
        self.assertEqual((schemes["cookie"]["in"], schemes["cookie"]["name"]),
                         ("cookie", "thc_session"))
        self.assertEqual((schemes["apikey"]["in"], schemes["apikey"]["name"]),
                         ("header", "Authorization"))

    def test_request_bodies(self):
        for route in self.routes:
            op = self.op(route)
            want = BODY_MEDIA[route["body"]]
            if want is None:
                self.assertNotIn("requestBody", op, route["pattern"])
                continue
            self.assertEqual(sorted(op["requestBody"]["content"]), want, route["pattern"])
            self.assertEqual(op["requestBody"]["required"], route["body"] != "json?")

    def test_roles_and_cache(self):
        for route in self.routes:
            op = self.op(route)
            self.assertEqual(op["x-roles"], route["roles"])
            self.assertEqual(op["x-cache"], route["cache"])

    def test_error_schema(self):
        err = self.doc["components"]["schemas"]["Error"]
        inner = err["properties"]["error"]
        self.assertEqual(err["required"], ["error"])
        self.assertEqual(inner["required"], ["code", "message"])
        self.assertEqual(sorted(inner["properties"]), ["code", "field", "message"])
        for slug in ("invalid", "not_found", "unauthorized", "forbidden", "unprocessable",
                     "unsupported_media_type", "length_required"):
            self.assertIn(slug, inner["properties"]["code"]["enum"])
        # A real error of the server has that shape, with a code from the enum.
        r = self.get("/api/v1/units/99999")
        e = self.assertError(r, 404, "not_found")
        self.assertIn(e["code"], inner["properties"]["code"]["enum"])
        for route in self.routes:
            responses = self.op(route)["responses"]
            self.assertEqual(responses["4XX"], {"$ref": "#/components/responses/Error"})

    def test_public_kept_and_same_as_cli(self):
        first = self.get("/api/v1/openapi.json")
        second = self.get("/api/v1/openapi.json")
        self.assertStatus(second, 200)
        etag = second.headers.get("etag")
        self.assertRegex(etag or "", r'^"[0-9a-f]{16}"$')
        r = self.get("/api/v1/openapi.json", headers={"If-None-Match": etag})
        self.assertEqual((r.status, r.raw), (304, b""))
        rc, out, err = cli("routes", "--openapi")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out), first.json)
        # Signed in, the same document.
        self.assertEqual(self.get("/api/v1/openapi.json", as_user="phucxa").json, first.json)


if __name__ == "__main__":
    main()
