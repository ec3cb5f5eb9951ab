import logging

from bot.logs import MaskingFilter, mask


def test_mask_id_numbers_and_phones() -> None:
    text = "身份证530428199001011234，手机13912345678，小写53042819900101123x"
    masked = mask(text)
    assert "530428199001011234" not in masked and "13912345678" not in masked
    assert "530428********1234" in masked and "139****5678" in masked
    assert "53042819900101123x" not in masked


def test_mask_leaves_other_numbers() -> None:
    assert mask("MsgId 1234567890123456 at 1409304348") == "MsgId 1234567890123456 at 1409304348"


def test_filter_masks_arguments(caplog) -> None:
    logger = logging.getLogger("test.masking")
    handler = caplog.handler
    handler.addFilter(MaskingFilter())
    try:
        logger.warning("phone %s", "13912345678")
    finally:
        handler.removeFilter(handler.filters[-1])
    assert "13912345678" not in caplog.text
    assert "139****5678" in caplog.text
