const contract = require("@asm/contract");

module.exports = contract;
