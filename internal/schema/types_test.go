package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"
)

// testConfig exercises every supported kind and tag; the decode tests, the
// schema test and the fuzz target all use it.
type testConfig struct {
	Version int    `yaml:"version" required:"true" enum:"1" doc:"Format version."`
	Name    string `yaml:"name" minLength:"1" maxLength:"10" doc:"A name."`
	Mode    string `yaml:"mode" enum:"name_and_email,email"`
	Enabled bool   `yaml:"enabled"`
	Require struct {
		Members bool `yaml:"members" doc:"Members too."`
	} `yaml:"require"`
	Count  int8              `yaml:"count" minimum:"1"`
	Size   uint16            `yaml:"size"`
	Big    int64             `yaml:"big"`
	Ratio  float64           `yaml:"ratio"`
	Tags   []string          `yaml:"tags" maxLength:"5"`
	Labels map[string]string `yaml:"labels"`
	Limits map[string]limit  `yaml:"limits"`
	Ptr    *int              `yaml:"ptr"`
	When   time.Time         `yaml:"when"`
	Every  time.Duration     `yaml:"every"`
	Raw    json.RawMessage   `yaml:"raw"`
	Node   Node              `yaml:"node"`
	Items  []item            `yaml:"items"`
	Color  hexColor          `yaml:"color"`
	Any    any               `yaml:"any"`
	Skip   string            `yaml:"-"`
	Embedded
}

type Embedded struct {
	Extra string `yaml:"extra"`
}

type limit struct {
	Max int  `yaml:"max"`
	On  bool `yaml:"on"`
}

type item struct {
	SHA  string `yaml:"sha" required:"true" pattern:"^[0-9a-f]{40}$" patternDoc:"a 40-character hexadecimal SHA"`
	Kind string `yaml:"kind" enum:"User,Bot,"`
}

// hexColor is a custom scalar: "#rrggbb".
type hexColor string

var hexColorRE = regexp.MustCompile(`^#[0-9a-f]{6}$`)

func (c *hexColor) UnmarshalSchema(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || !hexColorRE.MatchString(n.Value) {
		return fmt.Errorf("expected a colour such as \"#ff0000\", got %s", describe(n))
	}
	*c = hexColor(n.Value)
	return nil
}

func (hexColor) JSONSchema() *Schema {
	return &Schema{Type: Types{"string"}, Pattern: hexColorRE.String()}
}

func testDefaults() testConfig {
	var c testConfig
	c.Version = 1
	c.Name = "dflt"
	c.Mode = "name_and_email"
	c.Enabled = true
	c.Require.Members = true
	c.Count = 3
	c.Tags = []string{"a"}
	c.Labels = map[string]string{"keep": "k", "over": "o"}
	c.Limits = map[string]limit{"x": {Max: 5, On: true}}
	c.Every = time.Hour
	c.Color = "#000000"
	return c
}
