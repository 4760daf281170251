package central

import (
	"strings"
	"unicode"
)

// CarrierOther is the carrier code for a carrier not on the marketplace's
// list; the carrier's name then goes in carrier-name (CarrierName).
const CarrierOther = "Other"

// Amazon's carrier codes for shipment confirmations (the carrier-code of
// the shipping confirmation file, CarrierCode in the API), as Seller
// Central's help page for the template ("Shipping Confirmation Template",
// help 641) lists them per marketplace. The list differs by marketplace
// (and so does a spelling: "Yanwen" vs "YANWEN"); a carrier not on the
// order's marketplace's list is sent as "Other" with its name.
var (
	// carriersDefault is the list of amazon.com / .sg / .co.uk help 641.
	carriersDefault = []string{"Blue Package", "USPS", "UPS", "UPSMI", "FedEx", "DHL", "DHL Global Mail", "Fastway",
		"UPS Mail Innovations", "Lasership", "Royal Mail", "FedEx SmartPost", "OSM", "OnTrac", "Streamlite", "Newgistics",
		"Canada Post", "City Link", "GLS", "GO!", "Hermes Logistik Gruppe", "Parcelforce", "TNT", "Target", "SagawaExpress",
		"NipponExpress", "YamatoTransport", "Ninjavan", "Qxpress", "Singapore Post", "4PX", "Yanwen", "Aramex",
		"China Post", "DHL eCommerce", "SF Express"}
	// carriersEU adds the European carriers of Amazon's feed schema
	// (amzn-base.xsd CarrierCode) to the default list.
	carriersEU = append(carriersDefault[:len(carriersDefault):len(carriersDefault)], "DPD", "Hermes", "Deutsche Post",
		"DHL Express", "Colissimo", "Chronopost", "La Poste", "Correos", "SEUR", "MRW", "BRT", "Poste Italiane", "SDA",
		"PostNL", "Bpost", "InPost", "Yodel", "Evri", "Yun Express")
	// carriersAU is amazon.com.au's list.
	carriersAU = []string{"Australia Post-Consignment", "Australia Post-ArticleId", "4PX", "Aramex", "Couriers Please",
		"China Post", "DHL", "EUB", "Fastway", "FedEx", "India Post", "Sendle", "SF Express", "TNT", "UPS", "USPS",
		"YANWEN", "Yun Express"}
	// carriersJP adds Japan Post to the default list.
	carriersJP = append(carriersDefault[:len(carriersDefault):len(carriersDefault)], "Japan Post")
)

// marketplaceCarriers maps a marketplace id to its carrier-code list;
// marketplaces not named here use carriersDefault.
var marketplaceCarriers = map[string][]string{
	"A1F83G8C2ARO7P": carriersEU, // UK
	"A1PA6795UKMFR9": carriersEU, // DE
	"A13V1IB3VIYZZH": carriersEU, // FR
	"APJ6JRA9NG5V4":  carriersEU, // IT
	"A1RKKUPIHCS9HS": carriersEU, // ES
	"A1805IZSGTT6HS": carriersEU, // NL
	"AMEN7PMS3EDWL":  carriersEU, // BE
	"A2NODRKZP88ZB9": carriersEU, // SE
	"A1C3SOZRARQ6R3": carriersEU, // PL
	"A39IBJ37TRP1C6": carriersAU, // AU
	"A1VC38T7YXB528": carriersJP, // JP
}

// carrierAliases are other spellings stations and carriers use, by
// normalised form, for the code they stand for (when the marketplace's
// list has it).
var carrierAliases = map[string]string{
	"unitedstatespostalservice": "USPS",
	"federalexpress":            "FedEx",
	"fedexsmartpost":            "FedEx SmartPost",
	"yunexpress":                "Yun Express",
	"yanwenexpress":             "Yanwen",
	"chinapostems":              "China Post",
	"sfexpress":                 "SF Express",
	"shunfeng":                  "SF Express",
	"顺丰":                        "SF Express",
	"云途":                        "Yun Express",
	"燕文":                        "Yanwen",
	"中国邮政":                      "China Post",
	"递四方":                       "4PX",
	"sagawa":                    "SagawaExpress",
	"yamato":                    "YamatoTransport",
	"australiapost":             "Australia Post-ArticleId",
	"auspost":                   "Australia Post-ArticleId",
	"dhlparcel":                 "DHL",
}

// CarrierCode returns the carrier code for carrier (as the station or the
// label names it) on marketplace: the marketplace's code when its list has
// the carrier (compared without case, spaces or punctuation, or through a
// known alias), else "Other" with carrier as the name. An empty carrier
// is "Other" with no name (Confirmation.Problem reports it).
func CarrierCode(marketplace, carrier string) (code, name string) {
	carrier = strings.TrimSpace(carrier)
	list, ok := marketplaceCarriers[marketplace]
	if !ok {
		list = carriersDefault
	}
	want := normCarrier(carrier)
	if want == "" {
		return CarrierOther, ""
	}
	if a, ok := carrierAliases[want]; ok {
		want = normCarrier(a)
	}
	for _, c := range list {
		if normCarrier(c) == want {
			return c, ""
		}
	}
	return CarrierOther, carrier
}

// normCarrier folds case and drops everything but letters and digits.
func normCarrier(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
