package label

import "strings"

// Address is a postal address as printed on labels.
type Address struct {
	Name, Company, Line1, Line2, City, State, Postcode, Country, Phone string
}

// lines returns the address as printed lines, empty parts left out.
func (a Address) lines() []string {
	var out []string
	for _, s := range []string{a.Name, a.Company, a.Line1, a.Line2} {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	city := strings.TrimSpace(strings.Join(nonEmpty(a.City, strings.TrimSpace(a.State+" "+a.Postcode)), ", "))
	if city != "" {
		out = append(out, city)
	}
	if a.Country != "" {
		out = append(out, a.Country)
	}
	if a.Phone != "" {
		out = append(out, "Tel "+a.Phone)
	}
	return out
}

// linesMax returns the address in at most n lines. When it has more, it
// first puts the country after the city, then street line 2 after line 1,
// then the company after the name; only then are the last lines joined
// (and cut with an ellipsis when printed). The city and country are never
// dropped for the phone or a second street line.
func (a Address) linesMax(n int) []string {
	trim := strings.TrimSpace
	join := func(x, y string) string {
		switch {
		case trim(x) == "":
			return trim(y)
		case trim(y) == "":
			return trim(x)
		}
		return trim(x) + ", " + trim(y)
	}
	steps := []func(*Address){
		func(a *Address) { a.Postcode, a.Country = trim(a.Postcode+" "+a.Country), "" },
		func(a *Address) { a.Line1, a.Line2 = join(a.Line1, a.Line2), "" },
		func(a *Address) { a.Name, a.Company = join(a.Name, a.Company), "" },
	}
	b := a
	ls := b.lines()
	for _, step := range steps {
		if len(ls) <= n {
			return ls
		}
		step(&b)
		ls = b.lines()
	}
	if len(ls) <= n || n < 1 {
		return ls
	}
	return append(ls[:n-1:n-1], strings.Join(ls[n-1:], ", "))
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// layout places elements in millimetres on a label.
type layout struct {
	l *Label
	f *Fonts
}

func newLayout(s Size, dpi int) (*layout, error) {
	if err := CheckDPI(dpi); err != nil {
		return nil, err
	}
	return &layout{l: New(s, dpi), f: DefaultFonts()}, nil
}

func (p *layout) d(mm float64) int { return Dots(mm, p.l.DPI) }

// text adds one line at x, y (mm) of size mm high, cut to maxW mm.
func (p *layout) text(x, y, size, maxW float64, bold bool, s string) {
	if s == "" {
		return
	}
	p.l.Add(Text{X: p.d(x), Y: p.d(y), Height: p.d(size), Bold: bold, Value: s, MaxWidth: p.d(maxW)})
}

// textRight adds text ending at x+w mm.
func (p *layout) textRight(x, y, size, w float64, bold bool, s string) error {
	tw, err := p.f.Measure(s, p.d(size), bold)
	if err != nil {
		return err
	}
	tw = min(tw, p.d(w))
	p.l.Add(Text{X: p.d(x+w) - tw, Y: p.d(y), Height: p.d(size), Bold: bold, Value: s, MaxWidth: p.d(w)})
	return nil
}

// textCenter adds text centred in [x, x+w] mm.
func (p *layout) textCenter(x, y, size, w float64, bold bool, s string) error {
	s, err := p.f.Fit(s, p.d(size), bold, p.d(w))
	if err != nil {
		return err
	}
	tw, err := p.f.Measure(s, p.d(size), bold)
	if err != nil {
		return err
	}
	p.l.Add(Text{X: p.d(x) + (p.d(w)-tw)/2, Y: p.d(y), Height: p.d(size), Bold: bold, Value: s})
	return nil
}

// codeWithText adds a Code 128 barcode h mm tall across [x, x+w] and its
// data in bold text size mm tall, centred 1 mm below the bars, for the
// reader when the bars do not scan.
func (p *layout) codeWithText(data string, x, y, w, h, size float64) error {
	if err := p.barcode(Code128, data, x, y, w, h); err != nil {
		return err
	}
	return p.textCenter(x, y+(h+1), size, w, true, data)
}

// wrap adds up to maxLines lines; returns the number used.
func (p *layout) wrap(x, y, size, lineH, maxW float64, maxLines int, bold bool, s string) (int, error) {
	lines, err := p.f.Wrap(s, p.d(size), bold, p.d(maxW), maxLines)
	if err != nil {
		return 0, err
	}
	for i, ln := range lines {
		p.text(x, y+float64(i)*lineH, size, maxW, bold, ln)
	}
	return len(lines), nil
}

// barcode adds a barcode fitted into w×h mm at x, y; centred horizontally
// (and vertically for 2D) in that box. Returns the used height in mm.
func (p *layout) barcode(sym Symbology, data string, x, y, w, h float64) error {
	b := Barcode{Symbology: sym, Data: data, Height: p.d(h)}
	b, err := FitBarcode(b, p.l.DPI, p.d(w), p.d(h))
	if err != nil {
		return err
	}
	bw, bh, _ := b.Size()
	b.X = p.d(x) + (p.d(w)-bw)/2
	b.Y = p.d(y)
	if !sym.linear() {
		b.Y += (p.d(h) - bh) / 2
	}
	p.l.Add(b)
	return nil
}

func (p *layout) hline(x, y, w, t float64) {
	p.l.Add(Line{X: p.d(x), Y: p.d(y), Length: p.d(w), Thickness: max(p.d(t), 1)})
}

func (p *layout) vline(x, y, h, t float64) {
	p.l.Add(Line{X: p.d(x), Y: p.d(y), Length: p.d(h), Thickness: max(p.d(t), 1), Vertical: true})
}

func (p *layout) box(x, y, w, h, t float64) {
	p.l.Add(Box{X: p.d(x), Y: p.d(y), W: p.d(w), H: p.d(h), Thickness: max(p.d(t), 1)})
}
