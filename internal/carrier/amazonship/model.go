package amazonship

// The request and response bodies this client uses, written from
// Amazon's published model (selling-partner-api-models,
// models/shipping-api-model/shippingV2.json): only the fields Packdesk
// sends or reads. Exported so the fake server (shipfake) speaks the same
// shapes.

// Address is the model's Address.
type Address struct {
	Name          string `json:"name"`
	AddressLine1  string `json:"addressLine1"`
	AddressLine2  string `json:"addressLine2,omitempty"`
	AddressLine3  string `json:"addressLine3,omitempty"`
	CompanyName   string `json:"companyName,omitempty"`
	StateOrRegion string `json:"stateOrRegion"`
	City          string `json:"city"`
	CountryCode   string `json:"countryCode"`
	PostalCode    string `json:"postalCode"`
	PhoneNumber   string `json:"phoneNumber,omitempty"`
}

// Weight is the model's Weight (unit GRAM, KILOGRAM, OUNCE, POUND).
type Weight struct {
	Unit  string  `json:"unit"`
	Value float64 `json:"value"`
}

// Dimensions is the model's Dimensions (unit INCH or CENTIMETER).
type Dimensions struct {
	Length float64 `json:"length"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Unit   string  `json:"unit"`
}

// Currency is the model's Currency (an amount and its ISO 4217 code).
type Currency struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Item is the model's Item.
type Item struct {
	Quantity       int       `json:"quantity"`
	ItemIdentifier string    `json:"itemIdentifier,omitempty"`
	Description    string    `json:"description,omitempty"`
	ItemValue      *Currency `json:"itemValue,omitempty"`
	IsHazmat       bool      `json:"isHazmat,omitempty"`
}

// Package is the model's Package.
type Package struct {
	Dimensions               Dimensions `json:"dimensions"`
	Weight                   Weight     `json:"weight"`
	InsuredValue             Currency   `json:"insuredValue"`
	IsHazmat                 bool       `json:"isHazmat,omitempty"`
	PackageClientReferenceID string     `json:"packageClientReferenceId"`
	Items                    []Item     `json:"items"`
}

// ChannelDetails is the model's ChannelDetails (channelType AMAZON with
// the order id, or EXTERNAL).
type ChannelDetails struct {
	ChannelType        string              `json:"channelType"`
	AmazonOrderDetails *AmazonOrderDetails `json:"amazonOrderDetails,omitempty"`
}

// AmazonOrderDetails is the model's AmazonOrderDetails.
type AmazonOrderDetails struct {
	OrderID string `json:"orderId"`
}

// GetRatesRequest is the body of getRates.
type GetRatesRequest struct {
	ShipTo         *Address       `json:"shipTo,omitempty"`
	ShipFrom       Address        `json:"shipFrom"`
	ShipDate       string         `json:"shipDate,omitempty"`
	Packages       []Package      `json:"packages"`
	ChannelDetails ChannelDetails `json:"channelDetails"`
}

// GetRatesResponse is getRates' answer.
type GetRatesResponse struct {
	Payload *GetRatesResult `json:"payload"`
}

// GetRatesResult is the model's GetRatesResult.
type GetRatesResult struct {
	RequestToken   string `json:"requestToken"`
	Rates          []Rate `json:"rates"`
	IneligibleRate []struct {
		ServiceID            string `json:"serviceId"`
		CarrierID            string `json:"carrierId"`
		IneligibilityReasons []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"ineligibilityReasons"`
	} `json:"ineligibleRates,omitempty"`
}

// Rate is the model's Rate.
type Rate struct {
	RateID                          string                           `json:"rateId"`
	CarrierID                       string                           `json:"carrierId"`
	CarrierName                     string                           `json:"carrierName"`
	ServiceID                       string                           `json:"serviceId"`
	ServiceName                     string                           `json:"serviceName"`
	TotalCharge                     Currency                         `json:"totalCharge"`
	RequiresAdditionalInputs        bool                             `json:"requiresAdditionalInputs"`
	SupportedDocumentSpecifications []SupportedDocumentSpecification `json:"supportedDocumentSpecifications"`
}

// SupportedDocumentSpecification is the model's (format PDF, PNG, ZPL).
type SupportedDocumentSpecification struct {
	Format string       `json:"format"`
	Size   DocumentSize `json:"size"`
}

// DocumentSize is the model's DocumentSize (unit INCH or CENTIMETER).
type DocumentSize struct {
	Width  float64 `json:"width"`
	Length float64 `json:"length"`
	Unit   string  `json:"unit"`
}

// RequestedDocumentSpecification is the model's.
type RequestedDocumentSpecification struct {
	Format                 string       `json:"format"`
	Size                   DocumentSize `json:"size"`
	DPI                    int          `json:"dpi,omitempty"`
	NeedFileJoining        bool         `json:"needFileJoining"`
	RequestedDocumentTypes []string     `json:"requestedDocumentTypes"`
}

// PurchaseShipmentRequest is the body of purchaseShipment.
type PurchaseShipmentRequest struct {
	RequestToken                   string                         `json:"requestToken"`
	RateID                         string                         `json:"rateId"`
	RequestedDocumentSpecification RequestedDocumentSpecification `json:"requestedDocumentSpecification"`
}

// PurchaseShipmentResponse is purchaseShipment's answer.
type PurchaseShipmentResponse struct {
	Payload *PurchaseShipmentResult `json:"payload"`
}

// PurchaseShipmentResult is the model's.
type PurchaseShipmentResult struct {
	ShipmentID             string                  `json:"shipmentId"`
	PackageDocumentDetails []PackageDocumentDetail `json:"packageDocumentDetails"`
}

// PackageDocumentDetail is the model's.
type PackageDocumentDetail struct {
	PackageClientReferenceID string            `json:"packageClientReferenceId"`
	PackageDocuments         []PackageDocument `json:"packageDocuments"`
	TrackingID               string            `json:"trackingId"`
}

// PackageDocument is the model's (contents: base64).
type PackageDocument struct {
	Type     string `json:"type"`
	Format   string `json:"format"`
	Contents string `json:"contents"`
}

// GetTrackingResponse is getTracking's answer.
type GetTrackingResponse struct {
	Payload *GetTrackingResult `json:"payload"`
}

// GetTrackingResult is the model's (the fields Packdesk reads).
type GetTrackingResult struct {
	TrackingID           string `json:"trackingId"`
	PromisedDeliveryDate string `json:"promisedDeliveryDate"`
	Summary              struct {
		Status string `json:"status"`
	} `json:"summary"`
	EventHistory []struct {
		EventCode string `json:"eventCode"`
		EventTime string `json:"eventTime"`
	} `json:"eventHistory"`
}

// ErrorList is the body of every error answer.
type ErrorList struct {
	Errors []ModelError `json:"errors"`
}

// ModelError is the model's Error.
type ModelError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}
