#include "mail/smtp_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "../../tests/run_process.h"
#include "../../tests/smtp_sink.h"
#include "mail/compose.h"

namespace cxm::mail {
namespace {

using nlohmann::json;
using testing::SmtpSink;

constexpr std::int64_t kNow = 1796624548000;

// A self-signed certificate for 127.0.0.1, made once for all tests here.
class SmtpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certificates_.emplace();
    const std::string dir = certificates_->path();
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
        dir + "/key.pem' -out '" + dir + "/cert.pem' 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
  }
  static void TearDownTestSuite() { certificates_.reset(); }

  static std::string cert() { return certificates_->path() + "/cert.pem"; }
  static std::string key() { return certificates_->path() + "/key.pem"; }

  static SmtpSettings settings_for(const SmtpSink& sink, Security security) {
    SmtpSettings settings;
    settings.host = "127.0.0.1";
    settings.port = sink.port();
    settings.security = security;
    settings.from = "cx@helios.example";
    settings.timeout_seconds = 10;
    return settings;
  }

  static Letter letter() {
    Letter letter;
    letter.recipient_name = "Anna Berg";
    letter.org_name = "Helios AG";
    letter.title = "Customer experience 2027";
    letter.link = "https://cx.example.org/r/0123456789abcdef0123456789abcdef";
    letter.minutes = 15;
    return letter;
  }

  static std::string message_to(const std::string& to) {
    const Letter l = letter();
    return mime_message(compose(l), l, "cx@helios.example", to, kNow, "m1");
  }

  static json parsed(const SmtpSink& sink, std::size_t n) {
    return json::parse(testing::parse_mail_json(sink.dir() + "/" + std::to_string(n + 1) + ".eml"));
  }

 private:
  static std::optional<testing::TempDir> certificates_;
};

std::optional<testing::TempDir> SmtpClientTest::certificates_;

TEST_F(SmtpClientTest, SendsWithoutEncryptionAndTheServerKeepsTheMessageAsSent) {
  SmtpSink sink;
  const SmtpClient client(settings_for(sink, Security::none));
  const SendResult result = client.send("anna@example.org", message_to("anna@example.org"));
  ASSERT_EQ(result.status, SendResult::sent) << result.reply << "\n" << sink.log();
  EXPECT_NE(result.reply.find("250"), std::string::npos) << result.reply;
  ASSERT_EQ(sink.messages().size(), 1u);
  const json mail = parsed(sink, 0);
  EXPECT_EQ(mail["headers"]["X-Envelope-To"], "<anna@example.org>");
  EXPECT_EQ(mail["headers"]["X-Envelope-From"], "<cx@helios.example>");
  EXPECT_EQ(mail["headers"]["Subject"], compose(letter()).subject);
  EXPECT_EQ(mail["parts"][1]["content"], compose(letter()).text);
  EXPECT_EQ(mail["parts"][2]["content"], compose(letter()).html);
}

TEST_F(SmtpClientTest, SendsOverStartTlsTrustingTheGivenCa) {
  SmtpSink sink({"--starttls", cert(), key()});
  SmtpSettings settings = settings_for(sink, Security::starttls);
  settings.ca_file = cert();
  const SendResult result =
      SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  ASSERT_EQ(result.status, SendResult::sent) << result.reply << "\n" << sink.log();
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(SmtpClientTest, AnUntrustedCertificateIsRefused) {
  SmtpSink sink({"--starttls", cert(), key()});
  const SendResult result = SmtpClient(settings_for(sink, Security::starttls))
                                .send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(result.status, SendResult::transient) << result.reply;
  EXPECT_NE(result.reply.find("certificate"), std::string::npos) << result.reply;
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(SmtpClientTest, StartTlsRequiredButNotOfferedSendsNothing) {
  SmtpSink sink;
  const SendResult result = SmtpClient(settings_for(sink, Security::starttls))
                                .send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(result.status, SendResult::transient) << result.reply;
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(SmtpClientTest, SendsOverImplicitTls) {
  SmtpSink sink({"--tls", cert(), key()});
  SmtpSettings settings = settings_for(sink, Security::tls);
  settings.ca_file = cert();
  const SendResult result =
      SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  ASSERT_EQ(result.status, SendResult::sent) << result.reply << "\n" << sink.log();
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(SmtpClientTest, LogsInAndAWrongPasswordIsNeverRepeated) {
  SmtpSink sink({"--starttls", cert(), key(), "--auth", "cxm:Corr3ct-horse"});
  SmtpSettings settings = settings_for(sink, Security::starttls);
  settings.ca_file = cert();
  settings.user = "cxm";
  settings.password = "Wr0ng-battery";
  SendResult result = SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(result.status, SendResult::transient) << result.reply;
  EXPECT_EQ(result.reply.find("Wr0ng-battery"), std::string::npos) << result.reply;
  EXPECT_NE(result.reply.find("535"), std::string::npos) << result.reply;
  EXPECT_TRUE(sink.messages().empty());

  settings.password = "Corr3ct-horse";
  result = SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  ASSERT_EQ(result.status, SendResult::sent) << result.reply << "\n" << sink.log();
  EXPECT_EQ(result.reply.find("Corr3ct-horse"), std::string::npos);
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(SmtpClientTest, AServerThatWantsALoginIsTriedAgainOnceItHasOne) {
  SmtpSink sink({"--tls", cert(), key(), "--auth", "cxm:Corr3ct-horse"});
  SmtpSettings settings = settings_for(sink, Security::tls);
  settings.ca_file = cert();
  const SendResult result =
      SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(result.status, SendResult::transient) << result.reply;
  EXPECT_NE(result.reply.find("530"), std::string::npos) << result.reply;
}

TEST_F(SmtpClientTest, APasswordIsNeverInTheReplyEvenWhenTheServerEchoesIt) {
  // The refused address is the password itself: a server that echoes it
  // back must not carry it into the reply that cxm keeps.
  SmtpSink sink({"--refuse", "pass@example.org"});
  SmtpSettings settings = settings_for(sink, Security::none);
  settings.password = "pass";  // never sent: no user
  const SendResult result =
      SmtpClient(settings).send("pass@example.org", message_to("pass@example.org"));
  EXPECT_EQ(result.status, SendResult::permanent) << result.reply;
  EXPECT_EQ(result.reply.find("pass@"), std::string::npos) << result.reply;
  EXPECT_NE(result.reply.find("(password)@example.org"), std::string::npos) << result.reply;
}

TEST_F(SmtpClientTest, ARefusedAddressFailsForGoodWithTheServersAnswer) {
  SmtpSink sink({"--refuse", "gone@example.org"});
  const SmtpClient client(settings_for(sink, Security::none));
  const SendResult refused = client.send("gone@example.org", message_to("gone@example.org"));
  EXPECT_EQ(refused.status, SendResult::permanent) << refused.reply;
  EXPECT_NE(refused.reply.find("550 5.1.1 <gone@example.org>: Recipient address rejected"),
            std::string::npos)
      << refused.reply;
  EXPECT_EQ(client.send("anna@example.org", message_to("anna@example.org")).status,
            SendResult::sent);
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(SmtpClientTest, ADeferredAddressIsTriedAgainLater) {
  SmtpSink sink({"--defer", "busy@example.org"});
  const SendResult result = SmtpClient(settings_for(sink, Security::none))
                                .send("busy@example.org", message_to("busy@example.org"));
  EXPECT_EQ(result.status, SendResult::transient) << result.reply;
  EXPECT_NE(result.reply.find("451"), std::string::npos) << result.reply;
}

TEST_F(SmtpClientTest, AnAddressCxmDoesNotSendToIsNeverHandedOver) {
  SmtpSink sink;
  const SmtpClient client(settings_for(sink, Security::none));
  const SendResult result =
      client.send("anna@example.org>\r\nRCPT TO:<evil@example.org", message_to("x@example.org"));
  EXPECT_EQ(result.status, SendResult::permanent);
  EXPECT_NE(result.reply.find("invalid address"), std::string::npos) << result.reply;
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(SmtpClientTest, AServerThatHangsEndsInTheTimeoutAsTransient) {
  SmtpSink sink({"--hang"});
  SmtpSettings settings = settings_for(sink, Security::none);
  settings.timeout_seconds = 2;
  const auto start = std::chrono::steady_clock::now();
  const SendResult result =
      SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.status, SendResult::transient) << result.reply;
  EXPECT_LT(took, std::chrono::seconds(30));  // loose: only that it does end
}

TEST_F(SmtpClientTest, ADroppedConnectionIsTransientAndTheRetryIsTaken) {
  SmtpSink sink({"--drop-after", "1"});
  const SmtpClient client(settings_for(sink, Security::none));
  const SendResult dropped = client.send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(dropped.status, SendResult::transient) << dropped.reply;
  EXPECT_TRUE(sink.messages().empty());
  const SendResult retried = client.send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(retried.status, SendResult::sent) << retried.reply;
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(SmtpClientTest, NoServerIsTransient) {
  SmtpSettings settings;
  {
    SmtpSink gone;
    settings = settings_for(gone, Security::none);
  }
  const SendResult result =
      SmtpClient(settings).send("anna@example.org", message_to("anna@example.org"));
  EXPECT_EQ(result.status, SendResult::transient);
  EXPECT_FALSE(result.reply.empty());
}

TEST_F(SmtpClientTest, SeveralThreadsSendAtOnce) {
  SmtpSink sink;
  const SmtpClient client(settings_for(sink, Security::none));
  std::vector<std::thread> threads;
  std::atomic<int> sent = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2; ++i) {
        const std::string to = "p" + std::to_string(t) + "-" + std::to_string(i) + "@example.org";
        if (client.send(to, message_to(to)).status == SendResult::sent) ++sent;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sent, 8);
  EXPECT_EQ(sink.messages().size(), 8u);
}

}  // namespace
}  // namespace cxm::mail
