package review

import (
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// names are each reason code's short name (a filter's option, a table's
// cell), in English and Simplified Chinese.
var names = map[central.ReasonCode][2]string{
	UnknownSKU:                     {"unknown SKU", "SKU 不存在"},
	UnitMismatch:                   {"unit mismatch (件/套)", "单位不符（件/套）"},
	AddressIncomplete:              {"address incomplete", "地址不全"},
	AddressInvalid:                 {"address invalid", "地址无效"},
	POBox:                          {"PO box refused", "邮政信箱被拒"},
	SensitiveAddress:               {"sensitive address", "地址含敏感词"},
	HighValue:                      {"high value", "高价值"},
	DuplicateOrder:                 {"duplicate order", "重复订单"},
	Cancelled:                      {"cancelled", "已取消"},
	central.ReasonStockShort:       {"stock short", "库存不足"},
	central.ReasonNoWarehouse:      {"no matching warehouse", "无匹配仓库"},
	central.ReasonChannelNotFound:  {"carrier channel not found", "物流渠道未找到"},
	central.ReasonLabelFetchFailed: {"label fetch failed", "面单获取失败"},
}

// Name is code's short name in lang ("zh…" Chinese, else English); a code
// without one (a station's own reason) is itself.
func Name(code central.ReasonCode, lang string) string {
	n, ok := names[code]
	if !ok {
		return string(code)
	}
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return n[1]
	}
	return n[0]
}
