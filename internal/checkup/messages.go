package checkup

import (
	"fmt"
	"strings"
	"time"
)

// Languages of a report.
const (
	English = "en"
	Chinese = "zh" // Simplified Chinese
)

// Lang maps a language code or locale name (zh, zh-Hans, zh_CN.UTF-8,
// en-US, "") to English or Chinese.
func Lang(code string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(code)), "zh") {
		return Chinese
	}
	return English
}

// messages are the checkup's words: key, English, Simplified Chinese,
// side by side so neither language falls behind ({name} is an argument).
var messages = [][3]string{
	{"checkup.title.orders", "Orders that failed to sync since yesterday", "昨日以来同步失败的订单"},
	{"checkup.title.sync", "Amazon API errors with request ids", "亚马逊接口错误（含请求 ID）"},
	{"checkup.title.confirmations", "Shipment confirmations pending or refused", "待回传或被拒的发货确认"},
	{"checkup.title.ship_by", "Orders near or past their ship-by time", "临近或已过最晚发货时间的订单"},
	{"checkup.title.exceptions", "Exception pool by reason and age", "异常订单池（按原因与时长）"},
	{"checkup.title.stock", "Stock differences (FBA vs local)", "库存差异（FBA 与本地）"},
	{"checkup.title.stations", "Stations offline or with printer faults", "离线或打印机故障的工作站"},
	{"checkup.header", "Checkup at {at}, looking back to {since}: {level}", "巡检时间 {at}，回溯至 {since}：{level}"},
	{"checkup.header_wh", "Checkup of warehouse {wh} at {at}, looking back to {since}: {level}", "仓库 {wh} 巡检时间 {at}，回溯至 {since}：{level}"},
	{"checkup.more", "… and {n} more (the first {shown} of each section are shown)", "……另有 {n} 条（每部分只显示前 {shown} 条）"},
	{"checkup.level.ok", "OK", "正常"},
	{"checkup.level.warn", "WARN", "注意"},
	{"checkup.level.red", "RED", "严重"},
	{"checkup.level.not_done", "N/A", "未检查"},
	{"checkup.failed", "could not check: {err}", "无法检查：{err}"},
	{"checkup.in", "in {d}", "{d} 后"},
	{"checkup.passed_ago", "passed {d} ago", "已超过 {d}"},
	{"checkup.order_state.ready", "ready", "待打包"},
	{"checkup.order_state.leased", "leased", "已分配工作站"},
	{"checkup.order_state.started", "packing", "打包中"},
	{"checkup.order_state.packed", "packed", "已打包"},
	{"checkup.order_state.exception", "exception", "异常"},
	{"checkup.order_state.on_hold", "on hold", "暂停"},
	{"checkup.order_state.cancelled", "cancelled", "已取消"},
	{"checkup.confirm_state.pending", "pending", "待回传"},
	{"checkup.confirm_state.failed", "refused", "被拒"},
	{"checkup.confirm_state.confirmed", "confirmed", "已确认"},
	{"checkup.confirm_state.done_by_hand", "done by hand", "已手工确认"},
	{"checkup.confirm_state.cancelled", "cancelled", "已取消"},
	{"checkup.confirm_state.not_sent", "not sent", "未发送"},
	{"checkup.alert.ship_by_soon", "ship-by soon", "即将到最晚发货时间"},
	{"checkup.alert.ship_by_passed", "ship-by passed", "已过最晚发货时间"},
	{"checkup.alert.confirm_refused", "confirmation refused", "发货确认被拒"},
	{"checkup.alert.confirm_late", "confirmation late", "发货确认超时"},

	{"checkup.col.at", "AT", "时间"},
	{"checkup.col.order", "ORDER", "订单"},
	{"checkup.col.seller", "SELLER", "卖家"},
	{"checkup.col.warehouse", "WAREHOUSE", "仓库"},
	{"checkup.col.operation", "OPERATION", "操作"},
	{"checkup.col.status", "STATUS", "HTTP 状态"},
	{"checkup.col.request_id", "REQUEST ID", "请求 ID"},
	{"checkup.col.error", "ERROR", "错误"},
	{"checkup.col.failures", "FAILURES", "失败次数"},
	{"checkup.col.state", "STATE", "状态"},
	{"checkup.col.packed", "PACKED", "打包时间"},
	{"checkup.col.age", "AGE", "时长"},
	{"checkup.col.attempts", "ATTEMPTS", "尝试次数"},
	{"checkup.col.problem", "PROBLEM", "问题"},
	{"checkup.col.ship_by", "SHIP BY", "最晚发货"},
	{"checkup.col.left", "LEFT", "剩余"},
	{"checkup.col.alert", "ALERT", "提醒"},
	{"checkup.col.reason", "REASON", "原因"},
	{"checkup.col.orders", "ORDERS", "订单数"},
	{"checkup.col.oldest", "OLDEST", "最久"},
	{"checkup.col.oldest_order", "OLDEST ORDER", "最久订单"},
	{"checkup.col.source", "SOURCE", "来源"},
	{"checkup.col.compared", "COMPARED", "核对时间"},
	{"checkup.col.sku", "SKU", "SKU"},
	{"checkup.col.local", "LOCAL", "本地"},
	{"checkup.col.fba", "FBA", "FBA"},
	{"checkup.col.difference", "DIFFERENCE", "差异"},
	{"checkup.col.station", "STATION", "工作站"},
	{"checkup.col.last", "LAST", "最近"},
	{"checkup.col.detail", "DETAIL", "详情"},

	{"checkup.orders.summary", "{n} orders whose last Amazon call failed since {since} ({fixed} more failed and later went through)", "自 {since} 起 {n} 个订单最近一次亚马逊调用失败（另有 {fixed} 个失败后已成功）"},
	{"checkup.sync.no_answer", "no answer", "无响应"},
	{"checkup.sync.summary", "{n} Amazon calls failed since {since} ({throttled} throttled), {sellers} sellers affected", "自 {since} 起 {n} 次亚马逊调用失败（其中 {throttled} 次被限流），涉及 {sellers} 个卖家"},
	{"checkup.sync.stale", "; orders not syncing for {d} or more: {sellers}", "；订单已 {d} 以上未同步：{sellers}"},
	{"checkup.sync.last_good", "{seller} (last good poll {at})", "{seller}（上次成功拉取 {at}）"},
	{"checkup.confirm.late", "not confirmed within {d} of packing; {err}", "打包后 {d} 内未回传；{err}"},
	{"checkup.confirm.summary", "{refused} refused by Amazon, {late} pending past {d}, {pending} pending; {done} confirmed since {since}; {manual} packed orders not for the API (export the upload file)", "亚马逊拒绝 {refused} 个，超过 {d} 待回传 {late} 个，待回传 {pending} 个；自 {since} 起已确认 {done} 个；{manual} 个已打包订单不走接口（请导出上传文件）"},
	{"checkup.ship_by.summary", "{passed} not packed past their ship-by date, {soon} due within {d}", "{passed} 个已过最晚发货时间仍未打包，{soon} 个将在 {d} 内到期"},
	{"checkup.exceptions.summary", "{n} orders in the exception pool, {old} of them untouched for {d} or more", "异常订单池中有 {n} 个订单，其中 {old} 个已 {d} 以上无人处理"},
	{"checkup.stock.none", "no differences", "无差异"},
	{"checkup.stock.report", "report file", "报告文件"},
	{"checkup.stock.summary", "{diffs} SKUs differ in {runs} comparisons; {stale} comparisons older than {d}", "{runs} 次核对中 {diffs} 个 SKU 有差异；{stale} 次核对已超过 {d}"},
	{"checkup.stock.never", "no FBA comparison on record: packdeskctl server stock diff --warehouse W REPORT (or stock diff-amazon) compares and keeps the result", "尚无 FBA 核对记录：packdeskctl server stock diff --warehouse W 报告文件（或 stock diff-amazon）会核对并保存结果"},
	{"checkup.stations.offline", "offline", "离线"},
	{"checkup.stations.printer", "printer", "打印机"},
	{"checkup.stations.never", "never synced", "从未同步"},
	{"checkup.stations.unseen", "not seen for {d}", "已 {d} 未上线"},
	{"checkup.stations.started", "; {n} orders started there", "；该站有 {n} 个订单已开始打包"},
	{"checkup.stations.labels", "{n} labels failed since {since}; last: {reason} (order {order})", "自 {since} 起 {n} 张面单打印失败；最近一次：{reason}（订单 {order}）"},
	{"checkup.stations.summary", "{offline} of {n} stations offline ({stuck} with orders started), {faults} with printer faults since {since}", "{n} 个工作站中 {offline} 个离线（{stuck} 个有已开始的订单），自 {since} 起 {faults} 个打印机故障"},
}

// catalogue is messages by language and key.
var catalogue = func() map[string]map[string]string {
	c := map[string]map[string]string{English: {}, Chinese: {}}
	for _, m := range messages {
		c[English][m[0]] = m[1]
		c[Chinese][m[0]] = m[2]
	}
	return c
}()

// Message is key in lang (Lang) with {name} replaced by the following
// pairs (name, value, name, value…). A missing key shows itself.
func Message(lang, key string, pairs ...any) string {
	m, ok := catalogue[Lang(lang)][key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		name, _ := pairs[i].(string)
		v := fmt.Sprint(pairs[i+1])
		if d, ok := pairs[i+1].(time.Duration); ok {
			v = shortDuration(d)
		}
		m = strings.ReplaceAll(m, "{"+name+"}", v)
	}
	return m
}

// shortDuration is d without zero minutes and seconds ("6h", "1h30m").
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MessageKeys lists the message keys, in the order of the table.
func MessageKeys() []string {
	keys := make([]string, len(messages))
	for i, m := range messages {
		keys[i] = m[0]
	}
	return keys
}
