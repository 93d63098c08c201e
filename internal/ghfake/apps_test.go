package ghfake

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func appKey(t testing.TB) *rsa.PrivateKey {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		testKey = k
	})
	return testKey
}

// jwt signs claims with RS256 by hand (to build bad tokens too).
func jwt(t testing.TB, key *rsa.PrivateKey, claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	head := enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(head))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return head + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestAppInstallationFlow(t *testing.T) {
	f := New(t)
	seedRepo(f)
	f.AddRepo(Repo{Owner: "o", Name: "private", Private: true})
	f.AddRepo(Repo{Owner: "elsewhere", Name: "x"})
	pr := f.AddLinearPR("o", "r", 1, nil)
	key := appKey(t)
	f.AddApp(1234, &key.PublicKey, "contribution-policy")
	f.AddInstallation(42, 1234, "o", []string{"o/r"})
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})

	// The real ghinstallation transports, as the App will use them.
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, 1234, pemKey)
	if err != nil {
		t.Fatal(err)
	}
	atr.BaseURL = strings.TrimSuffix(f.URL(), "/")
	appClient := github.NewClient(&http.Client{Transport: atr})
	appClient.BaseURL, _ = appClient.BaseURL.Parse(f.URL())
	insts, _, err := appClient.Apps.ListInstallations(ctx, nil)
	if err != nil || len(insts) != 1 || insts[0].GetID() != 42 || insts[0].GetRepositorySelection() != "selected" {
		t.Fatalf("installations: %v %v", insts, err)
	}
	inst, _, err := appClient.Apps.FindRepositoryInstallation(ctx, "o", "r")
	if err != nil || inst.GetID() != 42 {
		t.Errorf("repo installation: %v %v", inst, err)
	}
	if _, _, err := appClient.Apps.FindRepositoryInstallation(ctx, "o", "private"); err == nil {
		t.Error("an uncovered repository has an installation")
	}

	itr := ghinstallation.NewFromAppsTransport(atr, 42)
	gh := github.NewClient(&http.Client{Transport: itr})
	gh.BaseURL, _ = gh.BaseURL.Parse(f.URL())
	if _, _, err := gh.PullRequests.Get(ctx, "o", "r", pr.Number); err != nil {
		t.Fatalf("with an installation token: %v", err)
	}
	c, _, err := gh.Issues.CreateComment(ctx, "o", "r", pr.Number, &github.IssueComment{Body: github.String("hi")})
	if err != nil || c.GetUser().GetLogin() != "contribution-policy[bot]" {
		t.Errorf("comment by %s: %v", c.GetUser().GetLogin(), err)
	}
	cr, _, err := gh.Checks.CreateCheckRun(ctx, "o", "r", github.CreateCheckRunOptions{Name: "contribution-policy/dco", HeadSHA: pr.HeadSHA})
	if err != nil || cr.GetApp().GetID() != 1234 {
		t.Errorf("check run app %d: %v", cr.GetApp().GetID(), err)
	}
	if _, _, err := gh.PullRequests.Get(ctx, "elsewhere", "x", 1); err == nil {
		t.Error("the token reached a repository outside the installation")
	}
	repos, _, err := gh.Apps.ListRepos(ctx, nil)
	if err != nil || repos.GetTotalCount() != 1 || repos.Repositories[0].GetFullName() != "o/r" {
		t.Errorf("installation repositories: %v %v", repos, err)
	}

	// Token response details.
	tok, _, err := appClient.Apps.CreateInstallationToken(ctx, 42, &github.InstallationTokenOptions{Permissions: &github.InstallationPermissions{Issues: github.String("read")}})
	if err != nil || !strings.HasPrefix(tok.GetToken(), "ghs_") || time.Until(tok.GetExpiresAt().Time) < 50*time.Minute {
		t.Fatalf("token %+v: %v", tok, err)
	}
	_, _, err = client(t, f, tok.GetToken()).Issues.CreateComment(ctx, "o", "r", pr.Number, &github.IssueComment{Body: github.String("x")})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 403 {
		t.Errorf("issues:read token wrote a comment: %v", err)
	}
	_, _, err = appClient.Apps.CreateInstallationToken(ctx, 42, &github.InstallationTokenOptions{Repositories: []string{"private"}})
	if !errors.As(err, &er) || er.Response.StatusCode != 422 {
		t.Errorf("token for an uncovered repository: %v, want 422", err)
	}
}

func TestAppJWTChecks(t *testing.T) {
	f := New(t)
	key := appKey(t)
	f.AddApp(7, &key.PublicKey, "app")
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	for _, tc := range []struct {
		name string
		tok  string
		want int
	}{
		{"valid", jwt(t, key, map[string]any{"iss": 7, "iat": now - 30, "exp": now + 540}), 200},
		{"string iss", jwt(t, key, map[string]any{"iss": "7", "iat": now - 30, "exp": now + 540}), 200},
		{"wrong key", jwt(t, other, map[string]any{"iss": 7, "iat": now - 30, "exp": now + 540}), 401},
		{"expired", jwt(t, key, map[string]any{"iss": 7, "iat": now - 700, "exp": now - 60}), 401},
		{"too far", jwt(t, key, map[string]any{"iss": 7, "iat": now, "exp": now + 3600}), 401},
		{"unknown app", jwt(t, key, map[string]any{"iss": 8, "iat": now, "exp": now + 500}), 401},
		{"installation token", DefaultToken, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, f.URL()+"app/installations", nil)
			req.Header.Set("Authorization", "Bearer "+tc.tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

func TestInstallationTokenExpires(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	f := New(t, WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
	seedRepo(f)
	key := appKey(t)
	f.AddApp(9, &key.PublicKey, "app")
	f.AddInstallation(90, 9, "o", nil)
	app := github.NewClient(nil).WithAuthToken(jwt(t, key, map[string]any{"iss": 9, "iat": now.Unix() - 30, "exp": now.Unix() + 500}))
	app.BaseURL, _ = app.BaseURL.Parse(f.URL())
	tok, _, err := app.Apps.CreateInstallationToken(ctx, 90, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok.Repositories) != 0 {
		t.Errorf("an all-repositories token lists %d repositories", len(tok.Repositories))
	}
	if _, _, err := client(t, f, tok.GetToken()).Users.Get(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(61 * time.Minute)
	mu.Unlock()
	_, _, err = client(t, f, tok.GetToken()).Users.Get(ctx, "o")
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 401 {
		t.Errorf("an expired token: %v, want 401", err)
	}
}

func TestHookDeliveries(t *testing.T) {
	f := New(t)
	key := appKey(t)
	f.AddApp(5, &key.PublicKey, "app")
	for i := range 5 {
		code := 200
		if i%2 == 1 {
			code = 502
		}
		f.AddHookDelivery(HookDelivery{Event: "pull_request", Action: "opened", StatusCode: code, InstallationID: 1, RepositoryID: 2})
	}
	now := time.Now().Unix()
	gh := github.NewClient(nil).WithAuthToken(jwt(t, key, map[string]any{"iss": 5, "iat": now - 30, "exp": now + 500}))
	gh.BaseURL, _ = gh.BaseURL.Parse(f.URL())
	var ids []int64
	opt := &github.ListCursorOptions{PerPage: 2}
	for {
		ds, resp, err := gh.Apps.ListHookDeliveries(ctx, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			ids = append(ids, d.GetID())
		}
		if resp.Cursor == "" {
			break
		}
		opt.Cursor = resp.Cursor
	}
	if len(ids) != 5 || ids[0] < ids[4] {
		t.Errorf("deliveries %v, want 5 newest first", ids)
	}
	if _, _, err := gh.Apps.RedeliverHookDelivery(ctx, ids[1]); err != nil {
		// go-github reports 202 Accepted as an AcceptedError.
		var acc *github.AcceptedError
		if !errors.As(err, &acc) {
			t.Fatal(err)
		}
	}
	if r := f.Redeliveries(); len(r) != 1 || r[0].DeliveryID != ids[1] {
		t.Errorf("redeliveries %+v", r)
	}
	req, _ := gh.NewRequest(http.MethodGet, "app/hook/deliveries?status=failure&per_page=10", nil)
	var failed []*github.HookDelivery
	if _, err := gh.Do(ctx, req, &failed); err != nil {
		t.Fatal(err)
	}
	if len(failed) != 3 { // two seeded, plus the redelivery of one of them
		t.Errorf("%d failed deliveries, want 3", len(failed))
	}
}
