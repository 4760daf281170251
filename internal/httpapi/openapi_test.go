package httpapi_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/checkup"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

// schemaTypes names the Go type behind each schema of docs/openapi.yaml.
var schemaTypes = map[string]reflect.Type{
	"Error":                     reflect.TypeFor[wire.Error](),
	"Health":                    reflect.TypeFor[httpapi.Health](),
	"Station":                   reflect.TypeFor[central.Station](),
	"Envelope":                  reflect.TypeFor[event.Envelope](),
	"PushRequest":               reflect.TypeFor[wire.PushRequest](),
	"WireRejection":             reflect.TypeFor[wire.Rejection](),
	"PushResponse":              reflect.TypeFor[wire.PushResponse](),
	"PullRequest":               reflect.TypeFor[wire.PullRequest](),
	"Lease":                     reflect.TypeFor[wire.Lease](),
	"Change":                    reflect.TypeFor[wire.Change](),
	"PullResponse":              reflect.TypeFor[wire.PullResponse](),
	"Address":                   reflect.TypeFor[pack.Address](),
	"Line":                      reflect.TypeFor[pack.Line](),
	"Order":                     reflect.TypeFor[pack.Order](),
	"Alias":                     reflect.TypeFor[pack.Alias](),
	"SKU":                       reflect.TypeFor[pack.SKU](),
	"Packer":                    reflect.TypeFor[pack.Packer](),
	"Return":                    reflect.TypeFor[pack.Return](),
	"ReturnLine":                reflect.TypeFor[pack.ReturnLine](),
	"AddStationRequest":         reflect.TypeFor[httpapi.AddStationRequest](),
	"AddStationResponse":        reflect.TypeFor[httpapi.AddStationResponse](),
	"StationsResponse":          reflect.TypeFor[httpapi.StationsResponse](),
	"Refusal":                   reflect.TypeFor[central.Refusal](),
	"ImportResult":              reflect.TypeFor[central.ImportResult](),
	"ImportSKUsResponse":        reflect.TypeFor[httpapi.ImportSKUsResponse](),
	"AddPackersRequest":         reflect.TypeFor[httpapi.AddPackersRequest](),
	"PackersResponse":           reflect.TypeFor[httpapi.PackersResponse](),
	"PackedLine":                reflect.TypeFor[event.PackedLine](),
	"Packed":                    reflect.TypeFor[event.Packed](),
	"ServerOrder":               reflect.TypeFor[central.Order](),
	"AmazonCall":                reflect.TypeFor[central.AmazonCall](),
	"SyncLogResponse":           reflect.TypeFor[httpapi.SyncLogResponse](),
	"AmazonFeedState":           reflect.TypeFor[central.AmazonFeedState](),
	"AmazonBucketState":         reflect.TypeFor[central.AmazonBucketState](),
	"AmazonSellerState":         reflect.TypeFor[central.AmazonSellerState](),
	"SellersResponse":           reflect.TypeFor[httpapi.SellersResponse](),
	"OrdersResponse":            reflect.TypeFor[httpapi.OrdersResponse](),
	"CancelOrderRequest":        reflect.TypeFor[httpapi.CancelOrderRequest](),
	"Task":                      reflect.TypeFor[central.Task](),
	"TasksResponse":             reflect.TypeFor[httpapi.TasksResponse](),
	"Rejection":                 reflect.TypeFor[central.Rejection](),
	"RejectionsResponse":        reflect.TypeFor[httpapi.RejectionsResponse](),
	"AuditEntry":                reflect.TypeFor[central.AuditEntry](),
	"AuditResponse":             reflect.TypeFor[httpapi.AuditResponse](),
	"AddUserRequest":            reflect.TypeFor[httpapi.AddUserRequest](),
	"ConsoleUser":               reflect.TypeFor[central.User](),
	"UsersResponse":             reflect.TypeFor[httpapi.UsersResponse](),
	"Reason":                    reflect.TypeFor[central.Reason](),
	"ConfirmItem":               reflect.TypeFor[central.ConfirmItem](),
	"Confirmation":              reflect.TypeFor[central.Confirmation](),
	"ConfirmationsResponse":     reflect.TypeFor[httpapi.ConfirmationsResponse](),
	"SettleConfirmationRequest": reflect.TypeFor[httpapi.SettleConfirmationRequest](),
	"Alert":                     reflect.TypeFor[central.Alert](),
	"AlertsResponse":            reflect.TypeFor[httpapi.AlertsResponse](),
	"CheckupSection":            reflect.TypeFor[checkup.Section](),
	"CheckupReport":             reflect.TypeFor[checkup.Report](),
	"CarrierLabel":              reflect.TypeFor[pack.CarrierLabel](),
	"LabelPurchase":             reflect.TypeFor[central.LabelPurchase](),
	"LabelsResponse":            reflect.TypeFor[httpapi.LabelsResponse](),
	"VoidLabel":                 reflect.TypeFor[central.VoidLabel](),
	"VoidsResponse":             reflect.TypeFor[httpapi.VoidsResponse](),
	"WaveRequest":               reflect.TypeFor[central.WaveRequest](),
	"WaveStock":                 reflect.TypeFor[central.WaveStock](),
	"Wave":                      reflect.TypeFor[central.Wave](),
	"WavesResponse":             reflect.TypeFor[httpapi.WavesResponse](),
	// Returns, server side (issue 10).
	"ServerReturnLine":    reflect.TypeFor[central.ReturnLine](),
	"ShippedLine":         reflect.TypeFor[central.ShippedLine](),
	"EventRef":            reflect.TypeFor[central.EventRef](),
	"ReturnFlag":          reflect.TypeFor[central.ReturnFlag](),
	"ServerReturn":        reflect.TypeFor[central.Return](),
	"CreateReturnRequest": reflect.TypeFor[httpapi.CreateReturnRequest](),
	"CancelReturnRequest": reflect.TypeFor[httpapi.CancelReturnRequest](),
	"ReturnImportResult":  reflect.TypeFor[central.ReturnImportResult](),
	"ReturnsResponse":     reflect.TypeFor[httpapi.ReturnsResponse](),
	"ReturnUnit":          reflect.TypeFor[central.ReturnUnit](),
	"ReturnResponse":      reflect.TypeFor[httpapi.ReturnResponse](),
	"ReturnUnitsResponse": reflect.TypeFor[httpapi.ReturnUnitsResponse](),
	"WriteOff":            reflect.TypeFor[central.WriteOff](),
	"WriteOffsResponse":   reflect.TypeFor[httpapi.WriteOffsResponse](),
	"StatCount":           reflect.TypeFor[central.StatCount](),
	"SKUStat":             reflect.TypeFor[central.SKUStat](),
	"ReturnStats":         reflect.TypeFor[central.ReturnStats](),

	// The review rules and the exception pool.
	"ReasonText":         reflect.TypeFor[httpapi.ReasonText](),
	"Exception":          reflect.TypeFor[httpapi.Exception](),
	"ExceptionsResponse": reflect.TypeFor[httpapi.ExceptionsResponse](),
	"Resolution":         reflect.TypeFor[central.Resolution](),
	"ReviewRules":        reflect.TypeFor[central.ReviewRules](),
	"RulesRequest":       reflect.TypeFor[httpapi.RulesRequest](),
	"ChannelRules":       reflect.TypeFor[central.ChannelRules](),
	"RulesCheck":         reflect.TypeFor[central.RulesCheck](),
	"RuleProblem":        reflect.TypeFor[central.RuleProblem](),
	"ExplainRequest":     reflect.TypeFor[httpapi.ExplainRequest](),
	"RuleCheck":          reflect.TypeFor[central.RuleCheck](),
	"ExplainStep":        reflect.TypeFor[central.ExplainStep](),
	"Explanation":        reflect.TypeFor[central.Explanation](),
	// stock
	"StockLevel":            reflect.TypeFor[central.StockLevel](),
	"StockResponse":         reflect.TypeFor[httpapi.StockResponse](),
	"StockMove":             reflect.TypeFor[central.StockMove](),
	"StockMoveRecord":       reflect.TypeFor[central.StockMoveRecord](),
	"StockMovesResponse":    reflect.TypeFor[httpapi.StockMovesResponse](),
	"StockImportResult":     reflect.TypeFor[central.StockImportResult](),
	"Reservation":           reflect.TypeFor[central.Reservation](),
	"ReservationsResponse":  reflect.TypeFor[httpapi.ReservationsResponse](),
	"StockRoute":            reflect.TypeFor[central.StockRoute](),
	"StockRoutesResponse":   reflect.TypeFor[httpapi.StockRoutesResponse](),
	"SetStockRoutesRequest": reflect.TypeFor[httpapi.SetStockRoutesRequest](),
	"StockDifference":       reflect.TypeFor[central.StockDifference](),
	"StockDiffResponse":     reflect.TypeFor[httpapi.StockDiffResponse](),
	"Replenishment":         reflect.TypeFor[central.Replenishment](),
	"ReplenishmentResponse": reflect.TypeFor[httpapi.ReplenishmentResponse](),
}

// routeBodies is what each route decodes and answers: the JSON request
// schema ("" none, "raw" a file), the success status and its schema.
var routeBodies = map[string]struct {
	req    string
	status string
	resp   string
}{
	"GET /healthz":                                    {"", "200", "Health"},
	"GET /readyz":                                     {"", "200", "Health"},
	"GET /metrics":                                    {"", "200", ""},
	"GET /api/v1/station":                             {"", "200", "Station"},
	"POST /api/v1/sync/push":                          {"PushRequest", "200", "PushResponse"},
	"POST /api/v1/sync/pull":                          {"PullRequest", "200", "PullResponse"},
	"POST /api/v1/admin/stations":                     {"AddStationRequest", "201", "AddStationResponse"},
	"GET /api/v1/admin/stations":                      {"", "200", "StationsResponse"},
	"POST /api/v1/admin/stations/{id}/revoke":         {"", "204", ""},
	"POST /api/v1/admin/orders/import":                {"raw", "200", "ImportResult"},
	"GET /api/v1/admin/orders":                        {"", "200", "OrdersResponse"},
	"POST /api/v1/admin/orders/{id}/cancel":           {"CancelOrderRequest", "204", ""},
	"POST /api/v1/admin/skus/import":                  {"raw", "200", "ImportSKUsResponse"},
	"POST /api/v1/admin/packers":                      {"AddPackersRequest", "204", ""},
	"GET /api/v1/admin/packers":                       {"", "200", "PackersResponse"},
	"GET /api/v1/admin/tasks":                         {"", "200", "TasksResponse"},
	"POST /api/v1/admin/tasks/{id}/revoke":            {"", "204", ""},
	"GET /api/v1/admin/rejections":                    {"", "200", "RejectionsResponse"},
	"GET /api/v1/admin/audit":                         {"", "200", "AuditResponse"},
	"GET /api/v1/admin/synclog":                       {"", "200", "SyncLogResponse"},
	"GET /api/v1/admin/sellers":                       {"", "200", "SellersResponse"},
	"GET /api/v1/admin/confirmations":                 {"", "200", "ConfirmationsResponse"},
	"GET /api/v1/admin/confirmations/export":          {"", "200", ""},
	"POST /api/v1/admin/confirmations/{order}/retry":  {"", "204", ""},
	"POST /api/v1/admin/confirmations/{order}/done":   {"SettleConfirmationRequest", "204", ""},
	"POST /api/v1/admin/confirmations/{order}/cancel": {"SettleConfirmationRequest", "204", ""},
	"GET /api/v1/admin/alerts":                        {"", "200", "AlertsResponse"},
	"GET /api/v1/admin/checkup":                       {"", "200", "CheckupReport"},
	"POST /api/v1/admin/users":                        {"AddUserRequest", "201", "UsersResponse"},
	"GET /api/v1/admin/users":                         {"", "200", "UsersResponse"},
	"GET /api/v1/admin/labels":                        {"", "200", "LabelsResponse"},
	"GET /api/v1/admin/labels/voids":                  {"", "200", "VoidsResponse"},
	"POST /api/v1/admin/waves":                        {"WaveRequest", "201", "Wave"},
	"GET /api/v1/admin/waves":                         {"", "200", "WavesResponse"},
	"GET /api/v1/admin/waves/{id}":                    {"", "200", "Wave"},
	"GET /api/v1/admin/waves/{id}/picklist":           {"", "200", ""},
	"GET /api/v1/admin/waves/{id}/slips":              {"", "200", ""},
	// Returns, server side (issue 10).
	"POST /api/v1/admin/returns/import":      {"raw", "200", "ReturnImportResult"},
	"POST /api/v1/admin/returns":             {"CreateReturnRequest", "201", "ServerReturn"},
	"POST /api/v1/admin/returns/{id}/cancel": {"CancelReturnRequest", "200", "ServerReturn"},
	"GET /api/v1/admin/returns":              {"", "200", "ReturnsResponse"},
	"GET /api/v1/admin/returns/{id}":         {"", "200", "ReturnResponse"},
	"GET /api/v1/admin/returns/units":        {"", "200", "ReturnUnitsResponse"},
	"GET /api/v1/admin/returns/ledger":       {"", "200", "WriteOffsResponse"},
	"GET /api/v1/admin/returns/stats":        {"", "200", "ReturnStats"},

	// The review rules and the exception pool.
	"GET /api/v1/admin/exceptions":               {"", "200", "ExceptionsResponse"},
	"POST /api/v1/admin/exceptions/{id}/resolve": {"Resolution", "200", "Exception"},
	"GET /api/v1/admin/rules":                    {"", "200", "ReviewRules"},
	"PUT /api/v1/admin/rules":                    {"RulesRequest", "200", "ReviewRules"},
	"POST /api/v1/admin/rules/explain":           {"ExplainRequest", "200", "Explanation"},
	"POST /api/v1/admin/rules/check":             {"RulesRequest", "200", "RulesCheck"},
	"GET /api/v1/admin/channels":                 {"", "200", "ChannelRules"},
	"PUT /api/v1/admin/channels":                 {"RulesRequest", "200", "ChannelRules"},
	"POST /api/v1/admin/channels/check":          {"RulesRequest", "200", "RulesCheck"},
	// stock
	"GET /api/v1/admin/stock":                    {"", "200", "StockResponse"},
	"POST /api/v1/admin/stock/import":            {"raw", "200", "StockImportResult"},
	"POST /api/v1/admin/stock/adjust":            {"StockMove", "200", "StockLevel"},
	"GET /api/v1/admin/stock/moves":              {"", "200", "StockMovesResponse"},
	"GET /api/v1/admin/stock/reservations":       {"", "200", "ReservationsResponse"},
	"GET /api/v1/admin/stock/routes":             {"", "200", "StockRoutesResponse"},
	"PUT /api/v1/admin/stock/routes/{warehouse}": {"SetStockRoutesRequest", "204", ""},
	"POST /api/v1/admin/stock/diff":              {"raw", "200", "StockDiffResponse"},
	"GET /api/v1/admin/stock/replenishment":      {"", "200", "ReplenishmentResponse"},
}

type openAPI struct {
	Paths      map[string]map[string]operation `yaml:"paths"`
	Components struct {
		Schemas map[string]schema `yaml:"schemas"`
	} `yaml:"components"`
}

type operation struct {
	RequestBody *struct {
		Content map[string]struct {
			Schema schema `yaml:"schema"`
		} `yaml:"content"`
	} `yaml:"requestBody"`
	Responses map[string]struct {
		Ref     string `yaml:"$ref"`
		Content map[string]struct {
			Schema schema `yaml:"schema"`
		} `yaml:"content"`
	} `yaml:"responses"`
}

type schema struct {
	Ref    string  `yaml:"$ref"`
	Type   string  `yaml:"type"`
	Format string  `yaml:"format"`
	Items  *schema `yaml:"items"`
	// AdditionalProperties is the value schema of a map (string keys).
	AdditionalProperties *schema           `yaml:"additionalProperties"`
	Properties           map[string]schema `yaml:"properties"`
	Required             []string          `yaml:"required"`
}

func loadOpenAPI(t *testing.T) openAPI {
	t.Helper()
	raw, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPI
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	return doc
}

// TestOpenAPIRoutes checks that the document lists exactly the routes the
// handler registers, each with the bodies the handler decodes and writes.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	registered := httpapi.NewHandler(nil, httpapi.Options{}).Patterns()
	slices.Sort(documented)
	slices.Sort(registered)
	if !slices.Equal(documented, registered) {
		t.Errorf("docs/openapi.yaml routes differ from the handler's:\ndocumented %q\nregistered %q", documented, registered)
	}
	for _, p := range registered {
		want, ok := routeBodies[p]
		if !ok {
			t.Errorf("route %s: not in routeBodies (add what it decodes and answers)", p)
			continue
		}
		method, path, _ := strings.Cut(p, " ")
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			continue // reported above
		}
		gotReq := ""
		if op.RequestBody != nil {
			gotReq = "raw"
			if c, ok := op.RequestBody.Content["application/json"]; ok {
				gotReq = refName(c.Schema.Ref)
			}
		}
		if gotReq != want.req {
			t.Errorf("%s: request body %q in the document, the handler decodes %q", p, gotReq, want.req)
		}
		resp, ok := op.Responses[want.status]
		if !ok {
			t.Errorf("%s: no %s response in the document", p, want.status)
			continue
		}
		gotResp := ""
		if c, ok := resp.Content["application/json"]; ok {
			gotResp = refName(c.Schema.Ref)
		}
		if gotResp != want.resp {
			t.Errorf("%s: %s answer %q in the document, the handler writes %q", p, want.status, gotResp, want.resp)
		}
		for code, r := range op.Responses {
			if (code[0] == '4' || code[0] == '5') && p != "GET /readyz" { // readyz answers 503 with Health
				if r.Ref != "#/components/responses/Error" {
					t.Errorf("%s: response %s is not the Error body", p, code)
				}
			}
		}
	}
}

// TestOpenAPISchemas checks every schema's properties against the JSON
// fields of its Go type: same names, compatible types, and a $ref to the
// schema of the field's type.
func TestOpenAPISchemas(t *testing.T) {
	doc := loadOpenAPI(t)
	for name := range doc.Components.Schemas {
		if _, ok := schemaTypes[name]; !ok {
			t.Errorf("schema %s: no Go type in schemaTypes", name)
		}
	}
	for name, typ := range schemaTypes {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s (%v) missing from docs/openapi.yaml", name, typ)
			continue
		}
		fields := jsonFields(typ)
		for prop := range s.Properties {
			if _, ok := fields[prop]; !ok {
				t.Errorf("schema %s: property %q is not a JSON field of %v", name, prop, typ)
			}
		}
		for f, ft := range fields {
			ps, ok := s.Properties[f]
			if !ok {
				t.Errorf("schema %s: JSON field %q of %v is not documented", name, f, typ)
				continue
			}
			checkType(t, name+"."+f, ps, ft)
		}
		for _, r := range s.Required {
			if _, ok := s.Properties[r]; !ok {
				t.Errorf("schema %s: required %q is not a property", name, r)
			}
		}
	}
}

// checkType compares one schema with a Go type.
func checkType(t *testing.T, where string, s schema, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if s.Ref != "" {
		want := refName(s.Ref)
		if got, ok := schemaTypes[want]; !ok || got != typ {
			t.Errorf("%s: $ref %s, but the field is %v", where, want, typ)
		}
		return
	}
	var ok bool
	switch {
	case typ == reflect.TypeFor[time.Time]():
		ok = s.Type == "string" && s.Format == "date-time"
	case typ == reflect.TypeFor[json.RawMessage]():
		ok = s.Type == "object"
	case typ.Kind() == reflect.String:
		ok = s.Type == "string"
	case typ.Kind() == reflect.Bool:
		ok = s.Type == "boolean"
	case typ.Kind() >= reflect.Int && typ.Kind() <= reflect.Uint64:
		ok = s.Type == "integer"
	case typ.Kind() == reflect.Float32 || typ.Kind() == reflect.Float64:
		ok = s.Type == "number"
	case typ == reflect.TypeFor[[]byte]():
		ok = s.Type == "string" && s.Format == "byte"
	case typ.Kind() == reflect.Slice:
		ok = s.Type == "array" && s.Items != nil
		if ok {
			checkType(t, where+"[]", *s.Items, typ.Elem())
		}
	case typ.Kind() == reflect.Map && typ.Key().Kind() == reflect.String:
		ok = s.Type == "object" && s.AdditionalProperties != nil
		if ok {
			checkType(t, where+"{}", *s.AdditionalProperties, typ.Elem())
		}
	}
	if !ok {
		t.Errorf("%s: schema type %q (format %q) does not fit Go type %v", where, s.Type, s.Format, typ)
	}
}

// jsonFields returns the JSON names of typ's encoded fields and their
// types, embedded structs flattened as encoding/json does.
func jsonFields(typ reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				if _, dup := out[k]; !dup {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func refName(ref string) string { return strings.TrimPrefix(ref, "#/components/schemas/") }
