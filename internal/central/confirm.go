package central

// ConfirmStore is the part of Store for shipment confirmations back to Amazon and the deadline watch.
type ConfirmStore interface {
}
