package central

// CarrierStore is the part of Store for carrier channels and the labels bought for orders.
type CarrierStore interface {
}
