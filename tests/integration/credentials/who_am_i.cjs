// The AWS SDK for JavaScript v3 with its default credential chain, as any Node tool runs it:
// prints the caller's identity, or the error the SDK raised, as one JSON line.
const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");

(async () => {
  try {
    const sts = new STSClient({ region: "us-east-1" });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    console.log(JSON.stringify({ Arn: me.Arn, Account: me.Account }));
  } catch (error) {
    console.log(JSON.stringify({ error: error.name, message: String(error.message) }));
  }
})();
