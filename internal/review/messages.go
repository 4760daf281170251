package review

import (
	"strings"

	"github.com/packdesk/packdesk/internal/central"
)

// Languages of the messages: the station's codes (internal/i18n).
const (
	English = "en"
	Chinese = "zh" // Simplified Chinese (zh-Hans)
)

// message is a reason's text in both languages: {name} is replaced by
// the reason's argument name (translated for the fields listed in
// translatedArgs). Args lists the arguments the text uses.
type message struct {
	en, zh string
	args   []string
}

var messages = map[central.ReasonCode]message{
	UnknownSKU: {"SKU {sku} is not in the SKU master: add it, or replace the SKU on the order",
		"SKU {sku} 不在商品资料中：请添加该 SKU，或替换订单上的 SKU", []string{"sku"}},
	UnitMismatch: {"Line {line} sells SKU {sku} by the {unit}, the SKU master packs it by the {want}: check the listing and replace the SKU",
		"第 {line} 行按「{unit}」销售 SKU {sku}，商品资料按「{want}」包装：请核对商品并替换 SKU", []string{"line", "sku", "unit", "want"}},
	AddressIncomplete: {"The address has no {missing}: edit the address",
		"地址缺少{missing}：请修改地址", []string{"missing"}},
	AddressInvalid: {"The address's {field} \"{value}\" is not valid for {country}: edit the address",
		"地址的{field}「{value}」不符合 {country} 的格式：请修改地址", []string{"field", "value", "country"}},
	POBox: {"The address is a PO box, refused for {by} {value}: edit the address or choose another service",
		"地址为邮政信箱，{by} {value} 不接受邮政信箱：请修改地址或更换物流服务", []string{"by", "value"}},
	SensitiveAddress: {"The address contains \"{keyword}\", a sensitive keyword: check it with the buyer before shipping",
		"地址包含敏感词「{keyword}」：发货前请与买家核实", []string{"keyword"}},
	HighValue: {"The order is worth {total} {currency}, over the high-value threshold of {threshold} {currency}: check it before shipping",
		"订单金额 {total} {currency}，超过高价值阈值 {threshold} {currency}：发货前请核查", []string{"total", "currency", "threshold"}},
	DuplicateOrder: {"Same buyer, address and SKUs as order {other} within {window}: check it is not a duplicate, then release or cancel",
		"与订单 {other} 的买家、地址和 SKU 相同（{window} 内）：请确认不是重复订单，再放行或取消", []string{"other", "window"}},
	Cancelled: {"The order is cancelled ({reason}): do not ship it",
		"订单已取消（{reason}）：请勿发货", []string{"reason"}},
	central.ReasonStockShort: {"Stock short for SKU {sku}: {have} available, {want} needed at every warehouse: restock or transfer",
		"SKU {sku} 库存不足：各仓可用 {have}，需要 {want}：请补货或调拨", []string{"sku", "have", "want"}},
	central.ReasonNoWarehouse: {"No warehouse can ship this order ({detail}): pick a warehouse",
		"无匹配仓库（{detail}）：请指定仓库", []string{"detail"}},
	central.ReasonChannelNotFound: {"No carrier channel matches this order ({detail}): add a channel rule or pick one",
		"没有匹配的物流渠道（{detail}）：请添加渠道规则或手动指定", []string{"detail"}},
	central.ReasonLabelFetchFailed: {"The carrier did not return a label: {message}: retry the label",
		"面单获取失败：{message}：请重试获取面单", []string{"message"}},
}

// translatedArgs are the argument values Message translates into Chinese
// (field names, who refuses PO boxes, why an order is cancelled).
var translatedArgs = map[string]string{
	"name": "收件人", "line1": "地址行", "city": "城市", "state": "州/省", "postal_code": "邮编",
	"country": "国家", "service_level": "配送服务", "marketplace": "站点", "channel": "物流渠道",
	"all": "所有", "orders": "订单", "the buyer asked to cancel": "买家申请取消", "cancelled": "已取消",
}

// listArgs are the arguments whose values are field names or fixed
// phrases (translatedArgs), possibly a ", " list.
var listArgs = map[string]bool{"missing": true, "field": true, "by": true, "reason": true, "value": true}

// Message writes the message of a reason code in lang ("en", "zh";
// "zh-Hans", "zh-CN" and the like count as Chinese, anything else as
// English) with its arguments; an argument the reason does not carry reads
// "?". An unknown code gets a message that names it.
func Message(code central.ReasonCode, lang string, args map[string]string) string {
	m, ok := messages[code]
	zh := strings.HasPrefix(strings.ToLower(lang), "zh")
	if r, isStation := strings.CutPrefix(string(code), StationPrefix); isStation {
		m, ok = message{"The packer sent the order to the exception pool: " + r + " {note}",
			"打包员将订单转入异常池：" + r + " {note}", []string{"note"}}, true
		if args["note"] == "" {
			args = map[string]string{"note": ""}
		}
	}
	if !ok {
		if zh {
			return "异常原因 " + string(code)
		}
		return "exception reason " + string(code)
	}
	text := m.en
	if zh {
		text = m.zh
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		j := strings.IndexByte(text[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(text)
			return strings.TrimSpace(b.String())
		}
		b.WriteString(text[:i])
		name := text[i+1 : i+1+j]
		v, ok := args[name]
		if !ok {
			v = "?"
		}
		if zh && listArgs[name] {
			v = translateList(v)
		}
		b.WriteString(v)
		text = text[i+j+2:]
	}
}

// translateList translates a value, or each item of a ", " list, when
// translatedArgs knows it.
func translateList(v string) string {
	parts := strings.Split(v, ", ")
	for i, p := range parts {
		if t, ok := translatedArgs[p]; ok {
			parts[i] = t
		}
	}
	return strings.Join(parts, "、")
}

// MessageArgs returns the argument names code's message uses (nil for an
// unknown code), for documentation and the parts that set the codes.
func MessageArgs(code central.ReasonCode) []string { return messages[code].args }

// NewReason returns the reason code with args and its English Detail.
func NewReason(code central.ReasonCode, args map[string]string) central.Reason {
	return central.Reason{Code: code, Detail: Message(code, English, args), Args: args}
}

// StationPrefix starts the code of a station's exception in the pool:
// "station:" and the packer's reason (pack.ExceptionReasons).
const StationPrefix = "station:"

// OrderReasons are the reasons an order is in the pool: its Reasons, and
// a station's exception as a reason of code StationPrefix+reason with the
// packer's note.
func OrderReasons(o central.Order) []central.Reason {
	out := append([]central.Reason(nil), o.Reasons...)
	if o.ExceptionReason != "" {
		out = append(out, NewReason(central.ReasonCode(StationPrefix+o.ExceptionReason), map[string]string{"note": o.ExceptionNote}))
	}
	return out
}
