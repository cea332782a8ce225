#!/usr/bin/env python3
"""A second, independent client: boto3 drives the emulator binary through every Cloud Control
operation, error cases included, and every answer is checked against botocore's own service
model for cloudcontrol.

Each response is checked twice: the raw JSON body (keys, JSON types, required members, enums,
lengths, ranges, patterns of the output shape; for errors the code and the error shape), and the
value botocore's parser returns (Python types per shape type, enums). An error code must be one
the operation declares in the model, or one of AWS's common errors.

Usage (the venv comes from .ci/python-env):
    target/python-env/bin/python emulator/tests/python/boto3_e2e.py \
        --emulator target/debug/cloudcontrol-emulator --specs emulator/tests/fixtures/specs
Prints one line per checked call and ends with "N passed, 0 failed"; exits 1 on any failure.
"""

import argparse
import ctypes
import datetime
import json
import re
import signal
import subprocess
import sys
import time

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

ACCESS_KEY = "AKIDBOTO3"
SECRET_KEY = "boto3-secret"
LOG_GROUP = "AWS::Logs::LogGroup"

# AWS's common errors (any action may answer them) and the awsJson protocol's own error codes.
COMMON_ERRORS = {
    "AccessDeniedException", "IncompleteSignatureException", "InternalFailure",
    "InvalidSignatureException", "MissingAuthenticationTokenException", "RequestTimeoutException",
    "SerializationException", "ServiceUnavailable", "ThrottlingException",
    "UnknownOperationException", "UnrecognizedClientException", "ValidationException",
}
TERMINAL = {"SUCCESS", "FAILED", "CANCEL_COMPLETE"}


class Failure(Exception):
    """A response that does not agree with the model (or with what the scenario expects)."""


def check_raw(shape, value, path):
    """The raw awsJson value `value` against botocore shape `shape`."""
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        if not isinstance(value, dict):
            raise Failure(f"{path}: expected a JSON object for {shape.name}, got {value!r}")
        for key in value:
            if key not in shape.members:
                raise Failure(f"{path}: key {key!r} is not a member of {shape.name}")
        for key in shape.required_members:
            if key not in value:
                raise Failure(f"{path}: required member {key!r} of {shape.name} missing")
        for key, v in value.items():
            check_raw(shape.members[key], v, f"{path}.{key}")
    elif t == "list":
        if not isinstance(value, list):
            raise Failure(f"{path}: expected a JSON array for {shape.name}")
        for i, v in enumerate(value):
            check_raw(shape.member, v, f"{path}[{i}]")
    elif t == "map":
        if not isinstance(value, dict):
            raise Failure(f"{path}: expected a JSON object (map) for {shape.name}")
        for k, v in value.items():
            check_raw(shape.key, k, f"{path} key")
            check_raw(shape.value, v, f"{path}.{k}")
    elif t == "string":
        if not isinstance(value, str):
            raise Failure(f"{path}: expected a string for {shape.name}, got {value!r}")
        if shape.enum and value not in shape.enum:
            raise Failure(f"{path}: {value!r} is not in {shape.name}'s enum {shape.enum}")
        if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
            raise Failure(f"{path}: length {len(value)} outside {shape.name}'s bounds")
        # Stricter than Smithy's unanchored match: the whole value must match.
        if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
            raise Failure(f"{path}: {value!r} does not match {shape.name}'s {meta['pattern']!r}")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise Failure(f"{path}: expected an integer for {shape.name}, got {value!r}")
        if not meta.get("min", value) <= value <= meta.get("max", value):
            raise Failure(f"{path}: {value} outside {shape.name}'s range")
    elif t == "boolean":
        if not isinstance(value, bool):
            raise Failure(f"{path}: expected a boolean for {shape.name}")
    elif t == "timestamp":
        # awsJson timestamps are epoch seconds.
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise Failure(f"{path}: expected epoch seconds for {shape.name}, got {value!r}")
    else:
        raise Failure(f"{path}: shape type {t} is not handled by this checker")


PARSED_TYPES = {
    "string": str, "integer": int, "long": int, "boolean": bool, "timestamp": datetime.datetime,
    "list": list, "map": dict, "structure": dict,
}


def check_parsed(shape, value, path):
    """botocore's parsed (typed) value against the shape."""
    want = PARSED_TYPES[shape.type_name]
    if not isinstance(value, want):
        raise Failure(f"{path}: parsed {type(value).__name__}, the model says {shape.type_name}")
    if shape.type_name == "string" and shape.enum and value not in shape.enum:
        raise Failure(f"{path}: parsed {value!r} is not in {shape.name}'s enum")
    if shape.type_name == "structure":
        for key, v in value.items():
            if key == "ResponseMetadata" and path == "$":
                continue
            if key not in shape.members:
                raise Failure(f"{path}: parsed key {key!r} is not a member of {shape.name}")
            check_parsed(shape.members[key], v, f"{path}.{key}")
    elif shape.type_name == "list":
        for i, v in enumerate(value):
            check_parsed(shape.member, v, f"{path}[{i}]")


def check_documents(raw):
    """Properties and ResourceModel are JSON documents inside strings: each must be an object."""
    if isinstance(raw, dict):
        for key, v in raw.items():
            if key in ("Properties", "ResourceModel"):
                if not isinstance(json.loads(v), dict):
                    raise Failure(f"{key} is not a JSON object: {v!r}")
            else:
                check_documents(v)
    elif isinstance(raw, list):
        for v in raw:
            check_documents(v)


class Session:
    """A boto3 client whose every call is checked against the model."""

    def __init__(self, endpoint, secret=SECRET_KEY, validate_params=True):
        self.client = boto3.client(
            "cloudcontrol", region_name="us-east-1", endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=secret,
            config=Config(retries={"total_max_attempts": 1},
                          parameter_validation=validate_params),
        )
        self.last = None
        self.client.meta.events.register("after-call.cloudcontrol", self._capture)
        self.passed = 0

    def _capture(self, http_response, model, **_):
        self.last = (model, http_response.status_code, http_response.content)

    def call(self, operation, expect_error=None, allow_error=None, **params):
        """Calls `operation`; checks the answer; returns the parsed output or the error code.
        `expect_error`: the call must fail with one of these codes (`A|B`); `allow_error`: it
        may."""
        method = getattr(self.client, botocore.xform_name(operation))
        self.last = None
        try:
            parsed, error = method(**params), None
        except ClientError as e:
            parsed, error = e.response, e
        if self.last is None or self.last[0].name != operation:
            raise Failure(f"{operation}: no response was captured")
        model, status, body = self.last
        raw = json.loads(body) if body else {}
        if error is None:
            if expect_error:
                raise Failure(f"{operation}: answered {status}, expected {expect_error}")
            if status != 200:
                raise Failure(f"{operation}: status {status} without an error")
            check_raw(model.output_shape, raw, "$")
            check_parsed(model.output_shape, parsed, "$")
            check_documents(raw)
            result = parsed
        else:
            code = error.response["Error"]["Code"]
            raw_code = str(raw.get("__type", "")).rsplit("#", 1)[-1]
            if raw_code != code:
                raise Failure(f"{operation}: __type {raw_code!r} but botocore read {code!r}")
            declared = {s.name: s for s in model.error_shapes}
            if code in declared:
                check_raw(declared[code], {k: v for k, v in raw.items() if k != "__type"}, "$")
            elif code not in COMMON_ERRORS:
                raise Failure(f"{operation}: {code} is neither declared nor a common error")
            if not 400 <= status <= 599:
                raise Failure(f"{operation}: error {code} with status {status}")
            if code not in (expect_error or allow_error or "").split("|"):
                raise Failure(f"{operation}: unexpected {code} ({status}): {raw}")
            result = code
        self.passed += 1
        print(f"ok {operation} {params.get('TypeName', '')} -> "
              f"{result if isinstance(result, str) else status}")
        return result

    def wait(self, event):
        """Polls GetResourceRequestStatus until the request is terminal; returns the event."""
        for _ in range(100):
            if event["OperationStatus"] in TERMINAL:
                return event
            time.sleep(0.01)
            event = self.call("GetResourceRequestStatus",
                              RequestToken=event["RequestToken"])["ProgressEvent"]
        raise Failure(f"request {event['RequestToken']} did not finish")


def expect(condition, message):
    if not condition:
        raise Failure(message)


def rejected(s, operation, sync_code, handler_code, **params):
    """An invalid request whose answer AWS does not document: either refused at once with
    `sync_code` or accepted and FAILED later with `handler_code`."""
    answer = s.call(operation, allow_error=sync_code, **params)
    if answer == sync_code:
        return
    ev = s.wait(answer["ProgressEvent"])
    expect(ev["OperationStatus"] == "FAILED" and ev.get("ErrorCode") == handler_code,
           f"{operation}: expected {sync_code} or FAILED/{handler_code}, got {ev}")


def self_test(client):
    """The checker itself refuses answers that break the model (so a pass means something)."""
    ops = client.meta.service_model
    event = ops.operation_model("GetResourceRequestStatus").output_shape
    good = {"ProgressEvent": {"TypeName": LOG_GROUP, "Operation": "CREATE",
                              "OperationStatus": "SUCCESS", "EventTime": 1.5e9}}
    check_raw(event, good, "$")
    for bad in ({"ProgressEvent": {"OperationStatus": "DONE"}},
                {"ProgressEvent": {"Operation": "CREATE", "Unmodelled": 1}},
                {"ProgressEvent": {"EventTime": "2024-01-01T00:00:00Z"}},
                {"ProgressEvent": {"RetryAfter": "soon"}},
                {"ProgressEvent": {"TypeName": "short"}},
                {"ProgressEvent": []}):
        try:
            check_raw(event, bad, "$")
        except Failure:
            continue
        raise Failure(f"self-test: the checker accepted {bad}")


def scenario(endpoint):
    s = Session(endpoint)
    self_test(s.client)
    name = "boto3-group"
    # Create: IN_PROGRESS first (--polls 1), then SUCCESS.
    ev = s.call("CreateResource", TypeName=LOG_GROUP, ClientToken="tok-1",
                DesiredState=json.dumps({"LogGroupName": name, "RetentionInDays": 7}))["ProgressEvent"]
    expect(ev["Operation"] == "CREATE" and ev["OperationStatus"] == "IN_PROGRESS", f"{ev}")
    create_token = ev["RequestToken"]
    ev = s.wait(ev)
    expect(ev["OperationStatus"] == "SUCCESS" and ev["Identifier"] == name, f"{ev}")
    # The same ClientToken and body is the same request; another body is a conflict.
    again = s.call("CreateResource", TypeName=LOG_GROUP, ClientToken="tok-1",
                   DesiredState=json.dumps({"LogGroupName": name, "RetentionInDays": 7}))
    expect(again["ProgressEvent"]["RequestToken"] == create_token, f"{again}")
    s.call("CreateResource", expect_error="ClientTokenConflictException", TypeName=LOG_GROUP,
           ClientToken="tok-1", DesiredState=json.dumps({"LogGroupName": "other"}))

    got = s.call("GetResource", TypeName=LOG_GROUP, Identifier=name)
    props = json.loads(got["ResourceDescription"]["Properties"])
    expect(props["LogGroupName"] == name and props["RetentionInDays"] == 7 and "Arn" in props,
           f"{props}")

    # Update, then read the new value back.
    ev = s.call("UpdateResource", TypeName=LOG_GROUP, Identifier=name,
                PatchDocument=json.dumps([{"op": "replace", "path": "/RetentionInDays",
                                           "value": 14}]))["ProgressEvent"]
    expect(s.wait(ev)["OperationStatus"] == "SUCCESS", "update")
    props = json.loads(s.call("GetResource", TypeName=LOG_GROUP,
                              Identifier=name)["ResourceDescription"]["Properties"])
    expect(props["RetentionInDays"] == 14, f"{props}")

    # List, one resource per page: follow NextToken.
    s.wait(s.call("CreateResource", TypeName=LOG_GROUP,
                  DesiredState=json.dumps({"LogGroupName": "boto3-second"}))["ProgressEvent"])
    seen, token = [], None
    for _ in range(10):
        page = s.call("ListResources", TypeName=LOG_GROUP, MaxResults=1,
                      **({"NextToken": token} if token else {}))
        expect(page["TypeName"] == LOG_GROUP, f"{page}")
        seen += [d["Identifier"] for d in page["ResourceDescriptions"]]
        token = page.get("NextToken")
        if not token:
            break
    expect(sorted(seen) == ["boto3-group", "boto3-second"], f"listed {seen}")

    # One mutating request at a time per resource.
    ev = s.call("CreateResource", TypeName=LOG_GROUP,
                DesiredState=json.dumps({"LogGroupName": "boto3-busy"}))["ProgressEvent"]
    s.call("UpdateResource", expect_error="ResourceConflictException", TypeName=LOG_GROUP,
           Identifier="boto3-busy", PatchDocument=json.dumps(
               [{"op": "add", "path": "/RetentionInDays", "value": 1}]))
    s.call("DeleteResource", expect_error="ResourceConflictException", TypeName=LOG_GROUP,
           Identifier="boto3-busy")
    expect(s.wait(ev)["OperationStatus"] == "SUCCESS", "busy create")

    # Cancel a request still in progress (CANCEL_IN_PROGRESS, then CANCEL_COMPLETE); a finished
    # one cannot be cancelled.
    ev = s.call("CreateResource", TypeName=LOG_GROUP,
                DesiredState=json.dumps({"LogGroupName": "boto3-cancelled"}))["ProgressEvent"]
    cancelled = s.call("CancelResourceRequest", RequestToken=ev["RequestToken"])["ProgressEvent"]
    expect(cancelled["OperationStatus"] == "CANCEL_IN_PROGRESS", f"{cancelled}")
    expect(s.wait(cancelled)["OperationStatus"] == "CANCEL_COMPLETE", "cancel")
    s.call("CancelResourceRequest", expect_error="ConcurrentModificationException",
           RequestToken=create_token)

    # Request records, filtered.
    summaries = s.call("ListResourceRequests", ResourceRequestStatusFilter={
        "Operations": ["CREATE"], "OperationStatuses": ["SUCCESS"]})["ResourceRequestStatusSummaries"]
    expect(create_token in [e["RequestToken"] for e in summaries], f"{summaries}")
    expect(all(e["Operation"] == "CREATE" and e["OperationStatus"] == "SUCCESS"
               for e in summaries), f"{summaries}")
    everything = s.call("ListResourceRequests", MaxResults=100)["ResourceRequestStatusSummaries"]
    expect({e["Operation"] for e in everything} == {"CREATE", "UPDATE"}, f"{everything}")

    # Handler decisions are FAILED events; invalid input is refused.
    ev = s.call("CreateResource", TypeName=LOG_GROUP,
                DesiredState=json.dumps({"LogGroupName": name}))["ProgressEvent"]
    ev = s.wait(ev)
    expect(ev["OperationStatus"] == "FAILED" and ev["ErrorCode"] == "AlreadyExists", f"{ev}")
    # As AWS: an invalid desired state or a patch of a create-only property is refused at once.
    s.call("CreateResource", expect_error="ValidationException", TypeName=LOG_GROUP,
           DesiredState=json.dumps({"LogGroupName": "x", "NotAProperty": 1}))
    s.call("CreateResource", expect_error="ValidationException", TypeName=LOG_GROUP,
           DesiredState=json.dumps({"LogGroupName": "x", "RetentionInDays": 2}))
    s.call("UpdateResource", expect_error="NotUpdatableException", TypeName=LOG_GROUP,
           Identifier=name, PatchDocument=json.dumps(
               [{"op": "replace", "path": "/LogGroupName", "value": "renamed"}]))
    # AWS's answer to a desired state that is not JSON is not documented: either is accepted.
    rejected(s, "CreateResource", "ValidationException", "InvalidRequest", TypeName=LOG_GROUP,
             DesiredState="not json")

    # Delete; the resource is gone afterwards.
    ev = s.call("DeleteResource", TypeName=LOG_GROUP, Identifier=name)["ProgressEvent"]
    expect(ev["Operation"] == "DELETE" and s.wait(ev)["OperationStatus"] == "SUCCESS", "delete")
    s.call("GetResource", expect_error="ResourceNotFoundException", TypeName=LOG_GROUP,
           Identifier=name)
    ev = s.wait(s.call("DeleteResource", TypeName=LOG_GROUP, Identifier=name)["ProgressEvent"])
    expect(ev["OperationStatus"] == "FAILED" and ev["ErrorCode"] == "NotFound", f"{ev}")

    # Errors of the API itself.
    s.call("GetResource", expect_error="TypeNotFoundException", TypeName="AWS::No::SuchType",
           Identifier="x")
    s.call("ListResources", expect_error="TypeNotFoundException", TypeName="AWS::No::SuchType")
    s.call("GetResourceRequestStatus", expect_error="RequestTokenNotFoundException",
           RequestToken="no-such-token")
    s.call("CancelResourceRequest", expect_error="RequestTokenNotFoundException",
           RequestToken="no-such-token")
    s.call("ListResources", expect_error="ValidationException|InvalidRequestException",
           TypeName=LOG_GROUP, NextToken="bm90LWEtdG9rZW4=")
    # Out-of-range input botocore would refuse client-side: sent anyway, the server refuses it.
    raw = Session(endpoint, validate_params=False)
    raw.call("ListResources", expect_error="ValidationException", TypeName=LOG_GROUP,
             MaxResults=0)
    raw.call("ListResourceRequests", expect_error="ValidationException", MaxResults=101)
    raw.call("GetResource", expect_error="ValidationException", TypeName="x", Identifier="y")
    wrong = Session(endpoint, secret="not-the-secret")
    wrong.call("ListResources", expect_error="InvalidSignatureException", TypeName=LOG_GROUP)
    return s.passed + raw.passed + wrong.passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emulator", required=True, help="the cloudcontrol-emulator binary")
    parser.add_argument("--specs", required=True, help="the specs directory it serves")
    args = parser.parse_args()
    libc = ctypes.CDLL(None, use_errno=True)
    # PR_SET_PDEATHSIG: the emulator dies with this script, however the script ends.
    proc = subprocess.Popen(
        [args.emulator, "--specs", args.specs, "--port", "0", "--polls", "1",
         "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        preexec_fn=lambda: libc.prctl(1, signal.SIGKILL),
    )
    try:
        endpoint = proc.stdout.readline().strip()
        if not endpoint.startswith("http://"):
            raise Failure(f"the emulator printed {endpoint!r} instead of its endpoint")
        print(f"emulator at {endpoint}; boto3 {boto3.__version__}, botocore {botocore.__version__}")
        passed = scenario(endpoint)
    except Failure as e:
        print(f"FAILED: {e}")
        print("0 passed, 1 failed")
        return 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"{passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
