package label

import "fmt"

// writeElements is the body both printer languages share: the whole label
// as one bitmap (o.RasterAll, handed to raster), or each element through
// native, with the element's number on its error.
func (l *Label) writeElements(o Options, raster func(*Bitmap), native func(Element, *Fonts) error) error {
	if o.RasterAll {
		bm, err := l.Bitmap(o)
		if err != nil {
			return err
		}
		raster(bm)
		return nil
	}
	f := o.fonts()
	for i, e := range l.Elements {
		if err := native(e, f); err != nil {
			return fmt.Errorf("%w (element %d)", err, i+1)
		}
	}
	return nil
}

// nativeText returns the text of e to send in the printer's own font,
// shortened to e.MaxWidth like the bitmap would be; ok is false when the
// printer font cannot show it (not ASCII, or o.RasterText) and e must be
// drawn as a bitmap. Errors: as Fonts.Fit.
func nativeText(e Text, o Options, f *Fonts) (s string, ok bool, err error) {
	s = e.Value
	if !isASCII(s) || o.RasterText {
		return "", false, nil
	}
	if e.MaxWidth > 0 {
		if s, err = f.Fit(s, e.Height, e.Bold, e.MaxWidth); err != nil {
			return "", false, err
		}
	}
	return s, true, nil
}
