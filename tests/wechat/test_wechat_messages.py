"""Parsing inbound messages and events (bot/wechat/messages.py on wechatpy, bot/wechat/xmlfields.py)."""

import pytest
import xmltodict

from bot.wechat.errors import BadMessage
from bot.wechat.messages import Inbound, parse_inbound
from bot.wechat.xmlfields import read_fields

USER, ACCOUNT = "oyORnuP8q7ou2gfYjqLzSIWZf0rs", "gh_10f6c3c3ac5a"


def xml(msg_type: str, create_time: str = "1409735668", **fields: str) -> str:
    inner = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{USER}]]></FromUserName>"
        f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{inner}</xml>"
    )


def event(name: str, key: str | None = None, **extra: str) -> Inbound:
    fields = {"Event": name} | ({} if key is None else {"EventKey": key}) | extra
    return parse_inbound(xml("event", **fields))


def test_text() -> None:
    msg = parse_inbound(xml("text", Content="低保怎么申请？", MsgId="6054768590064713728").encode())
    assert msg == Inbound(
        "text", USER, ACCOUNT, 1409735668, "6054768590064713728", "低保怎么申请？", None, None
    )
    assert msg.dedup_key() == "msg:6054768590064713728"


def test_text_keeps_split_cdata_and_inner_whitespace() -> None:
    # The whitespace around a field is trimmed (as wechatpy does), never inside it.
    body = xml("text", MsgId="1").replace(
        "</MsgType>", "</MsgType><Content><![CDATA[ a]]]]><![CDATA[>b\n第二行 ]]></Content>"
    )
    assert parse_inbound(body).text == "a]]>b\n第二行"


@pytest.mark.parametrize("content", [None, "", "   "])
def test_text_without_content_is_empty_text(content: str | None) -> None:
    fields = {"MsgId": "1"} | ({} if content is None else {"Content": content})
    msg = parse_inbound(xml("text", **fields))
    assert (msg.kind, msg.text) == ("text", "")


def test_a_user_may_type_markup_inside_cdata() -> None:
    text = '<!DOCTYPE x [<!ENTITY e "y">]> &e; <xml>'
    assert parse_inbound(xml("text", Content=text, MsgId="8")).text == text


def test_voice_with_recognition() -> None:
    msg = parse_inbound(xml("voice", MediaId="m", Format="amr", Recognition="我想办低保。", MsgId="2"))
    assert (msg.kind, msg.text) == ("voice", "我想办低保。")


@pytest.mark.parametrize("fields", [{"Recognition": ""}, {"Recognition": "  "}, {}])
def test_voice_without_recognition_has_empty_text(fields: dict[str, str]) -> None:
    msg = parse_inbound(xml("voice", MediaId="m", Format="speex", MsgId="3", **fields))
    assert (msg.kind, msg.text) == ("voice", "")


@pytest.mark.parametrize(
    ("msg_type", "fields"),
    [
        ("image", {"PicUrl": "http://mmbiz/x.jpg", "MediaId": "m"}),
        ("video", {"MediaId": "m", "ThumbMediaId": "t"}),
        ("shortvideo", {"MediaId": "m", "ThumbMediaId": "t"}),
        ("location", {"Location_X": "23.59", "Location_Y": "101.99", "Scale": "15", "Label": "元江县"}),
        ("link", {"Title": "t", "Description": "d", "Url": "https://example.org"}),
    ],
)
def test_media_kinds(msg_type: str, fields: dict[str, str]) -> None:
    msg = parse_inbound(xml(msg_type, MsgId="42", **fields))
    assert (msg.kind, msg.text, msg.event, msg.msg_id) == (msg_type, None, None, "42")


@pytest.mark.parametrize("msg_type", ["file", "miniprogrampage"])
def test_unknown_message_type(msg_type: str) -> None:
    assert parse_inbound(xml(msg_type, MsgId="7")).kind == "unknown"


def test_an_event_wechatpy_does_not_know_is_still_an_event() -> None:
    msg = event("subscribe_msg_popup_event")
    assert (msg.kind, msg.event, msg.msg_id) == ("event", "subscribe_msg_popup_event", None)


@pytest.mark.parametrize("key", ["scanbarcode|", "scanimage|x"])
def test_a_scan_event_with_a_broken_key_is_a_bad_message(key: str) -> None:
    with pytest.raises(BadMessage):  # wechatpy indexes the key's "|" parts: never a 500
        event("subscribe", EventKey=key)


def test_job_finish_events_carry_no_msg_id_of_their_own() -> None:
    msg = event("TEMPLATESENDJOBFINISH", MsgID="200163836", Status="success")
    assert (msg.kind, msg.event) == ("event", "templatesendjobfinish")


def test_subscribe_plain() -> None:
    msg = event("subscribe", "")
    assert (msg.kind, msg.event, msg.event_key, msg.scene, msg.msg_id) == (
        "event",
        "subscribe",
        None,
        None,
        None,
    )
    assert msg.dedup_key() == f"evt:{USER}:1409735668:subscribe:"


def test_subscribe_from_a_township_qr_code() -> None:
    msg = event("subscribe", "qrscene_town_lijiang", Ticket="gQH47joAAAAAAAAAASxodHRw")
    assert (msg.event, msg.event_key, msg.scene) == ("subscribe", "qrscene_town_lijiang", "town_lijiang")
    assert msg.dedup_key() == f"evt:{USER}:1409735668:subscribe:qrscene_town_lijiang"


def test_scan_by_a_follower() -> None:
    msg = event("SCAN", "town_lijiang", Ticket="gQH47joAAAAAAAAAASxodHRw")
    assert (msg.event, msg.event_key, msg.scene) == ("scan", "town_lijiang", "town_lijiang")


def test_click_view_location_unsubscribe() -> None:
    click = event("CLICK", "qa")
    assert (click.event, click.event_key, click.scene) == ("click", "qa", None)
    view = event("VIEW", "https://example.org/h5/apply")
    assert (view.event, view.event_key) == ("view", "https://example.org/h5/apply")
    location = event("LOCATION", Latitude="23.59", Longitude="101.99", Precision="65")
    assert (location.event, location.event_key) == ("location", None)
    assert event("unsubscribe", "").event == "unsubscribe"


def test_event_dedup_key_is_shared_by_retries_only() -> None:
    first, retry = event("CLICK", "qa"), event("CLICK", "qa")
    assert first.dedup_key() == retry.dedup_key()
    later = parse_inbound(xml("event", create_time="1409735669", Event="CLICK", EventKey="qa"))
    other_key = event("CLICK", "help")
    assert len({first.dedup_key(), later.dedup_key(), other_key.dedup_key()}) == 3


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"hello",
        b"<xml><ToUserName>",
        b"<root><MsgType>text</MsgType></root>",
        "<xml><A>中文</A></xml>".encode("gbk"),
        xml("", MsgId="1").encode(),  # empty MsgType
        xml("event").encode(),  # event without Event
        xml("event", Event="").encode(),
        xml("text", create_time="soon", Content="x").encode(),
        xml("text", create_time="-5", Content="x").encode(),
        xml("text", Content="x", MsgId="12a").encode(),
        xml("text", Content="x", MsgId="-12").encode(),
        xml("text", Content="x", MsgId="1" * 25).encode(),
        xml("text", Content="x").replace(f"<![CDATA[{USER}]]>", "<![CDATA[evil user:1]]>").encode(),
        xml("text", Content="x").replace(f"<FromUserName><![CDATA[{USER}]]></FromUserName>", "").encode(),
        xml("text", Content="x").replace("<MsgType>", "<Content>y</Content><MsgType>").encode(),  # duplicate
        xml("text", Content="x").replace("<MsgType>", f"<FromUserName>{USER}</FromUserName><MsgType>"),
        xml("text", Content="x&undefined;y").replace("<![CDATA[x&undefined;y]]>", "x&undefined;y").encode(),
        xml("text", Content="").replace("<![CDATA[]]>", "a&#x1d;b").encode(),  # encoded control char
        xml("text", Content="x", MsgId="1").replace("<xml>", '<xml xmlns="urn:x">'),  # WeChat has none
    ],
)
def test_malformed_messages(body: bytes) -> None:
    with pytest.raises(BadMessage):
        parse_inbound(body)


XXE = f"""<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
{xml("text", MsgId="1").replace("</MsgType>", "</MsgType><Content>&xxe;</Content>")}"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]><xml/>"""

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
    + xml("text", MsgId="1").replace("</MsgType>", "</MsgType><Content>&lol9;</Content>")
)

QUADRATIC = f'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "{"x" * 50_000}">]>' + xml(
    "text", MsgId="1"
).replace("</MsgType>", "</MsgType><Content>" + "&a;" * 1000 + "</Content>")


EXTERNAL_DTD = '<?xml version="1.0"?><!DOCTYPE xml SYSTEM "http://127.0.0.1:9/x.dtd">' + xml("text")
LOWERCASE = '<!doctype xml [<!ENTITY e "x">]>' + xml("text", Content="&e;", MsgId="1")


@pytest.mark.parametrize("body", [XXE, PARAMETER_ENTITY, BILLION_LAUGHS, QUADRATIC, EXTERNAL_DTD, LOWERCASE])
def test_any_doctype_is_refused_before_parsing(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*_args: object) -> None:
        raise AssertionError("the body reached the parser")

    monkeypatch.setattr("bot.wechat.messages.ET.fromstring", no_parsing)
    with pytest.raises(BadMessage, match="DOCTYPE"):
        parse_inbound(body.encode())


@pytest.mark.parametrize("prolog", ["<!-- <xml> -->", "<?pi <xml?>", "\ufeff<!--<xml-->\n",
                                    "<?xml version='1.0'?> "])
def test_a_doctype_behind_a_comment_or_instruction_naming_xml_is_refused_by_the_gate(prolog: str) -> None:
    # The envelope reader (the standard library's expat) expands internal entities: the gate must
    # find the DOCTYPE wherever the parser would read one, not only before the first "<xml".
    body = prolog + '<!DOCTYPE xml [<!ENTITY e "x">]><xml><Encrypt>&e;</Encrypt></xml>'
    with pytest.raises(BadMessage, match="DOCTYPE"):
        read_fields(body)


def test_a_doctype_hidden_behind_a_comment_is_still_refused_by_the_parser() -> None:
    body = '<!-- <xml> --><!DOCTYPE xml [<!ENTITY e "x">]>' + xml("text", Content="&e;", MsgId="1")
    with pytest.raises(BadMessage):
        parse_inbound(body)


def test_bodies_over_64_kib_are_refused() -> None:
    body = xml("text", Content="低" * 22_000, MsgId="1").encode()
    assert len(body) > 64 * 1024
    with pytest.raises(BadMessage, match="64 KiB"):
        parse_inbound(body)


@pytest.mark.parametrize("control", ["\x1d", "\x00", "\x01", "\x0b", "\x1f", "\ufffe"])
def test_control_characters_in_content_are_removed(control: str) -> None:
    # Decision: characters XML cannot carry are stripped before parsing, so a resident whose
    # input method inserted one still gets an answer (see bot/wechat/xmlfields.py).
    body = xml("text", Content=f"低保{control}申请\t吗", MsgId="5").encode()
    assert parse_inbound(body).text == "低保申请\t吗"


def test_str_and_bytes_bodies_agree() -> None:
    body = xml("text", Content="临时救助", MsgId="9")
    assert parse_inbound(body) == parse_inbound(body.encode("utf-8"))


def test_nested_elements_are_skipped() -> None:
    body = xml("event", Event="scancode_waitmsg", EventKey="k").replace(
        "</xml>", "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>1</ScanResult></ScanCodeInfo></xml>"
    )
    msg = parse_inbound(body)
    assert (msg.event, msg.event_key) == ("scancode_waitmsg", "k")


def test_messages_are_parsed_by_the_c_tree_builder_not_xmltodict(monkeypatch: pytest.MonkeyPatch) -> None:
    # xmltodict's Python callbacks cost most of wechatpy's parse_message; wechatpy's classes still
    # read the fields, so what they make of them is unchanged.
    def no_xmltodict(*_args: object, **_options: object) -> None:
        raise AssertionError("xmltodict parsed the body")

    monkeypatch.setattr(xmltodict, "parse", no_xmltodict)
    body = xml("text", Content=" 低保 ", MsgId="11", Extra="a").replace("</xml>", "<Extra>b</Extra></xml>")
    msg = parse_inbound(body)  # a field wechatpy does not read may repeat, as before
    assert (msg.kind, msg.text, msg.msg_id) == ("text", "低保", "11")
    assert event("subscribe", "qrscene_town_lijiang").scene == "town_lijiang"


@pytest.mark.parametrize("nested", ["<b>x</b>", "a<b/>c"])
def test_a_field_with_children_or_attributes_is_refused(nested: str) -> None:
    with pytest.raises(BadMessage):
        parse_inbound(xml("text", Content="x", MsgId="1").replace("<![CDATA[x]]>", nested))
    with pytest.raises(BadMessage):
        parse_inbound(xml("text", Content="x", MsgId="1").replace("<FromUserName>", '<FromUserName a="1">'))
