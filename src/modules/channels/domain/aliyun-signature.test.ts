import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  aliyunPhoneNumber,
  aliyunTimestamp,
  canonicalQuery,
  formBody,
  mapSendSmsResponse,
  percentEncode,
  readQuerySendDetails,
  sendDateFor,
  signedRpcParameters,
  signRpc,
  stringToSign,
} from "./aliyun-signature.js";

describe("Aliyun percent-encoding", () => {
  it("keeps only A-Z a-z 0-9 - _ . ~ and encodes every other UTF-8 byte in upper-case hex", () => {
    assert.equal(percentEncode("AZaz09-_.~"), "AZaz09-_.~");
    assert.equal(percentEncode("a b"), "a%20b");
    assert.equal(percentEncode("a+b*c"), "a%2Bb%2Ac");
    assert.equal(percentEncode("!'()"), "%21%27%28%29");
    assert.equal(percentEncode("/:=&"), "%2F%3A%3D%26");
    assert.equal(percentEncode("还"), "%E8%BF%98");
  });
});

describe("Aliyun RPC signature (SignatureVersion 1.0, HMAC-SHA1)", () => {
  it("reproduces the DescribeRegions example published in Aliyun's signature documentation", () => {
    // From the "Request signatures" page: AccessKeySecret testsecret, GET, expected OLeaidS1JvxuMvnyHOwuJ+uX5qY=.
    const parameters = {
      Timestamp: "2016-02-23T12:46:24Z",
      Format: "XML",
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      Version: "2014-05-26",
      SignatureVersion: "1.0",
    };
    assert.equal(
      stringToSign("GET", parameters),
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    assert.equal(signRpc("GET", parameters, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("reproduces the SendSms example published in the SMS service's HTTP documentation (Chinese SignName, JSON TemplateParam)", () => {
    const parameters = {
      AccessKeyId: "testId",
      Action: "SendSms",
      Format: "XML",
      OutId: "123",
      PhoneNumbers: "15300000001",
      RegionId: "cn-hangzhou",
      SignName: "阿里云短信测试专用",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
      SignatureVersion: "1.0",
      TemplateCode: "SMS_71390007",
      TemplateParam: '{"customer":"test"}',
      Timestamp: "2017-07-12T02:42:19Z",
      Version: "2017-05-25",
    };
    assert.equal(signRpc("GET", parameters, "testSecret"), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("signs our own POSTed SendSms exactly as derived by hand from the spec", () => {
    // How the expected values were derived, without this code:
    // 1. Parameters (ours: Format JSON, POST): AccessKeyId=LTAI-test-id, Action=SendSms, Format=JSON,
    //    OutId=reminder:2025-06-01:case-42, PhoneNumbers=13800138000, RegionId=cn-hangzhou, SignName=还款提醒,
    //    SignatureMethod=HMAC-SHA1, SignatureNonce=9f0b8a2e-…, SignatureVersion=1.0, TemplateCode=SMS_123456789,
    //    TemplateParam={"name":"王芳","amount":"1,234.50"}, Timestamp=2025-06-01T01:02:03Z, Version=2017-05-25.
    // 2. Sorted by name (byte order: "SignName" < "SignatureMethod" because 'N' 0x4E < 'a' 0x61; "TemplateCode" <
    //    "TemplateParam" < "Timestamp"), each value percent-encoded from its UTF-8 bytes by hand
    //    (还 E8 BF 98, 款 E6 AC BE, 提 E6 8F 90, 醒 E9 86 92, 王 E7 8E 8B, 芳 E8 8A B3; : %3A, , %2C, " %22, { %7B, } %7D).
    // 3. StringToSign = "POST&%2F&" + the canonical query encoded once more (% → %25, = → %3D, & → %26).
    // 4. Signature: printf '%s' "$STRING_TO_SIGN" | openssl dgst -sha1 -hmac 'test-secret-123&' -binary | base64
    //    gave 8pwAaaraOrGOQttbHtSgqJLzlCE= (and a separate Python urllib.parse.quote(safe="~") check agreed on step 2).
    const canonical =
      "AccessKeyId=LTAI-test-id&Action=SendSms&Format=JSON&OutId=reminder%3A2025-06-01%3Acase-42&PhoneNumbers=13800138000" +
      "&RegionId=cn-hangzhou&SignName=%E8%BF%98%E6%AC%BE%E6%8F%90%E9%86%92&SignatureMethod=HMAC-SHA1" +
      "&SignatureNonce=9f0b8a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b&SignatureVersion=1.0&TemplateCode=SMS_123456789" +
      "&TemplateParam=%7B%22name%22%3A%22%E7%8E%8B%E8%8A%B3%22%2C%22amount%22%3A%221%2C234.50%22%7D" +
      "&Timestamp=2025-06-01T01%3A02%3A03Z&Version=2017-05-25";
    const parameters = signedRpcParameters(
      "SendSms",
      {
        PhoneNumbers: "13800138000",
        SignName: "还款提醒",
        TemplateCode: "SMS_123456789",
        TemplateParam: JSON.stringify({ name: "王芳", amount: "1,234.50" }),
        OutId: "reminder:2025-06-01:case-42",
      },
      {
        accessKeyId: "LTAI-test-id",
        accessKeySecret: "test-secret-123",
        regionId: "cn-hangzhou",
        instant: new Date("2025-06-01T01:02:03.456Z"),
        nonce: "9f0b8a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b",
      },
    );
    assert.equal(canonicalQuery(parameters), canonical);
    assert.equal(stringToSign("POST", parameters), `POST&%2F&${percentEncode(canonical)}`);
    assert.equal(parameters.Signature, "8pwAaaraOrGOQttbHtSgqJLzlCE=");
    assert.equal(new URLSearchParams(formBody(parameters)).get("SignName"), "还款提醒");
    assert.equal(new URLSearchParams(formBody(parameters)).get("Signature"), "8pwAaaraOrGOQttbHtSgqJLzlCE=");
  });
});

describe("Aliyun request values", () => {
  it("formats Timestamp in UTC whole seconds and SendDate as the China calendar day", () => {
    assert.equal(aliyunTimestamp(new Date("2025-06-01T01:02:03.999Z")), "2025-06-01T01:02:03Z");
    assert.equal(sendDateFor(new Date("2025-05-31T15:59:59Z")), "20250531");
    assert.equal(sendDateFor(new Date("2025-05-31T16:00:00Z")), "20250601");
  });

  it("writes mainland numbers as 11 digits and others with their country code", () => {
    assert.equal(aliyunPhoneNumber("+8613800138000"), "13800138000");
    assert.equal(aliyunPhoneNumber("13800138000"), "13800138000");
    assert.equal(aliyunPhoneNumber("+85291234567"), "85291234567");
    assert.equal(aliyunPhoneNumber("call me"), null);
  });
});

describe("mapSendSmsResponse", () => {
  const body = (code: string, message = "x", extra: Record<string, string> = {}) =>
    JSON.stringify({ Code: code, Message: message, RequestId: "r-1", ...extra });

  it("accepts Code OK with the BizId", () => {
    assert.deepEqual(mapSendSmsResponse(200, body("OK", "OK", { BizId: "900619746936498440^0" })), {
      outcome: "accepted",
      providerMessageId: "900619746936498440^0",
    });
  });

  it("retries flow control, throttling and Aliyun's own faults, waiting as long as the window that tripped", () => {
    const table: [number, string, string, number | undefined][] = [
      [200, body("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1"), "isv.BUSINESS_LIMIT_CONTROL", 60_000],
      [200, body("isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5"), "isv.BUSINESS_LIMIT_CONTROL", 3_600_000],
      [200, body("isv.BUSINESS_LIMIT_CONTROL", "触发天级流控Permits:10"), "isv.BUSINESS_LIMIT_CONTROL", 21_600_000],
      [400, body("Throttling.User", "Request was denied due to user flow control."), "Throttling.User", 1000],
      [503, body("ServiceUnavailable"), "ServiceUnavailable", undefined],
      [200, body("isp.SYSTEM_ERROR"), "isp.SYSTEM_ERROR", undefined],
      [500, "<html>", "http_500", undefined],
      [502, "", "http_502", undefined],
      [200, "", "bad_response", undefined],
      [200, body("OK"), "bad_response", undefined],
    ];
    for (const [status, text, code, retryAfterMs] of table) {
      const result = mapSendSmsResponse(status, text);
      assert.equal(result.outcome, "retry", text);
      assert.equal(result.outcome === "retry" && result.code, code, text);
      assert.equal(result.outcome === "retry" && result.retryAfterMs, retryAfterMs, text);
    }
  });

  it("rejects the other isv.* codes and credential errors, with Aliyun's code and message", () => {
    for (const code of [
      "isv.MOBILE_NUMBER_ILLEGAL",
      "isv.SMS_TEMPLATE_ILLEGAL",
      "isv.SMS_SIGNATURE_ILLEGAL",
      "isv.TEMPLATE_MISSING_PARAMETERS",
      "isv.AMOUNT_NOT_ENOUGH",
      "isv.DAY_LIMIT_CONTROL",
      "isv.BLACK_KEY_CONTROL_LIMIT",
      "SignatureDoesNotMatch",
      "InvalidAccessKeyId.NotFound",
      "isp.RAM_PERMISSION_DENY",
    ]) {
      assert.deepEqual(mapSendSmsResponse(code === "SignatureDoesNotMatch" ? 400 : 200, body(code, "非法手机号")), {
        outcome: "rejected",
        code,
        message: "非法手机号",
      });
    }
    assert.deepEqual(mapSendSmsResponse(404, "not found"), { outcome: "rejected", code: "http_404", message: "HTTP 404" });
  });
});

describe("readQuerySendDetails", () => {
  const details = (outIds: string[], totalCount: number | string = outIds.length) =>
    JSON.stringify({
      Code: "OK",
      Message: "OK",
      TotalCount: totalCount,
      SmsSendDetailDTOs: { SmsSendDetailDTO: outIds.map((OutId) => ({ OutId, PhoneNum: "13800138000", SendStatus: 3, SendDate: "2025-06-01 09:00:00" })) },
    });

  it("finds the entry whose OutId is the key", () => {
    assert.deepEqual(readQuerySendDetails(200, details(["other", "k-1"]), "k-1"), { found: true, providerMessageId: "out:k-1" });
  });

  it("says absent only when the page holds the whole day", () => {
    assert.deepEqual(readQuerySendDetails(200, details(["other"]), "k-1"), { found: false });
    assert.deepEqual(readQuerySendDetails(200, details([], "0"), "k-1"), { found: false });
    assert.deepEqual(readQuerySendDetails(200, JSON.stringify({ Code: "OK", TotalCount: 0 }), "k-1"), { found: false });
    assert.deepEqual(readQuerySendDetails(200, details(["other"], 51), "k-1"), { unknown: true });
  });

  it("does not guess on an error or an unreadable answer", () => {
    assert.deepEqual(readQuerySendDetails(200, JSON.stringify({ Code: "isv.BUSINESS_LIMIT_CONTROL" }), "k-1"), { unknown: true });
    assert.deepEqual(readQuerySendDetails(500, details(["k-1"]), "k-1"), { unknown: true });
    assert.deepEqual(readQuerySendDetails(200, "<xml/>", "k-1"), { unknown: true });
  });
});
